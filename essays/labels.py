"""The one catalogue of what people read that the import pipeline says in English.

essays.ingest is pure Python and speaks in stable English keys (report counts, warnings,
refusals, encodings, scripts, the reason a line was removed); pages, downloads and messages
for people go through `say()` (or the `zh` template filter) at the point they are shown or
stored for people. Everything else the site says is written in Chinese where it is made, and
Django's own words (admin, forms, dates) come from its zh-hans locale.

Why a module and not gettext: the site has one language, so a catalogue keyed by the
English source strings would be a .po file kept in step with code it cannot change (the
pipeline never imports Django); warnings and refusals carry numbers and file names, which
gettext matches only when the source marks them up; and a Python table is checked by the
tests below like any code (tests/essays/test_labels.py), with no compiled .mo to forget.

Pure Python: imported by essays.export and the admin alike.
"""

from __future__ import annotations

import re

# Report counts: what the cleanup did, by action.
CLEANUP = {
    "pinyin annotations removed": "删除拼音注音",
    "pinyin annotations kept (too few to be a converter's)": "保留拼音注音（数量太少，不像转换器所加）",
    "damaged pinyin annotations turned into repair hints": "损坏的拼音注音用作修复线索",
    "mojibake sites repaired": "修复乱码处",
    "mojibake characters not recovered (〓)": "无法恢复的乱码字（〓）",
    "hard wrap joined": "合并硬换行",
    "wrapped title joined": "合并折行标题",
    "bracketed line joined": "合并括号断行",
    "line endings unified": "统一行尾",
    "NFC normalised": "Unicode NFC 规范化",
    "punctuation to full width": "标点改为全角",
    "parentheses to full width": "括号改为全角",
    "straight quotes curled": "直引号改为弯引号",
    "straight quotes left (odd number in a line)": "保留直引号（行内数目为奇数）",
    "spaces around punctuation removed": "删除标点两侧空格",
    "dashes normalised": "统一破折号",
    "ellipses normalised": "统一省略号",
    "watermark removed": "删除水印",
    "forum anti-copy noise removed": "删除论坛防复制干扰码",
    "HTML character references decoded": "还原网页字符实体",
    "page counter removed": "删除页码计数",
    "title counter removed": "删除标题计数",
    "SEO keyword removed": "删除 SEO 关键词",
    "repeated page title removed": "删除重复的页面标题",
    "duplicate title removed": "删除重复标题",
    "table of contents line removed": "删除目录行",
    "date prefix removed": "删除日期前缀",
    "footer zone": "页脚区",
    "truncated document": "文档在句中截断",
    "untitled compilation": "无总标题的汇编",
    "untitled essay boundary": "无标题的篇章分界",
    "leading fragment": "开头的残篇",
    "collection intro": "文集导语",
    "byline": "署名",
    "closing byline": "文末署名",
    "byline in title": "标题中的署名",
    "byline from metadata": "来自元数据的署名",
    "numbered essay title": "编号标题",
    "glued essay number split": "拆开粘连的篇号",
    "title label split": "拆开标题标签",
    "metadata cut from a line": "从行中切出元数据",
    "table bar removed": "删除段末的表格竖线",
    "essay count from the preface": "从编者导语读出篇数",
    "closing date": "删除文末日期",
    "closing signature": "文末落款",
    "essay number line": "篇号行",
    "numbered essay titles": "编号的篇目标题",
    "title label removed": "删除标题前的栏目标签",
    "lines decoded again from Windows-1252 mojibake": "重新解码的乱码行（UTF-8 曾被当作 Windows-1252 读取）",
    "zero-width removed": "删除零宽字符",
    "control characters removed": "删除控制字符",
    "no-break spaces replaced": "不换行空格改为普通空格",
    "unusual spaces replaced": "特殊空格改为普通空格",
    "byline (line roles)": "署名（行角色模型判定）",
    "essay titled by the model": "模型判定文章标题",
    "collection titled by its one essay": "文集以其唯一文章的标题为标题",
    "line roles overruled by the model": "行角色模型改判的行（标题、署名或页面杂项移出正文）",
    "header lines above the text": "正文开头的标题、署名等短行移出正文",
    "byline above the title": "标题上方的署名",
    "essay boundary at a byline": "在署名处分篇",
    "line split in two": "拆开一行中粘连的两部分（如标题与正文、标题与署名）",
    "ideographic spaces inside lines replaced": "行内全角空格改为普通空格",
}

# Why a line of page chrome was removed ("chrome line removed: <reason>").
CHROME_PREFIX = "chrome line removed: "
CHROME_REASONS = {
    "line-role model": "行角色模型判定",
    "collection preface": "文集导语，存为文集简介",
    "breadcrumb": "面包屑导航",
    "site notice": "网站公告",
    "widget": "网页小部件",
    "navigation": "导航",
    "article metadata": "文章信息栏",
    "document-site metadata": "文库网站信息",
    "file name": "文件名",
    "site header": "网站页眉",
    "separator": "分隔线",
    "counters": "阅读计数",
    "site footer": "网站页脚",
    "site keywords": "网站关键词",
    "editor's preface": "编者按",
    "copyright": "版权声明",
    "image credit": "图片说明",
    "link": "链接",
    "page marker": "分页标记",
    "end mark": "结束标记",
    "source note": "来源说明",
    "front matter": "文章头信息（Markdown）",
    "markup": "网页标记",
    "anti-copy noise": "论坛防复制干扰码",
    "link list": "网页链接列表",
    "counter": "阅读计数",
    "site name": "网站名称",
    "running header": "页眉（每页重复）",
    "keyword tiles": "关键词标签",
    "duplicate title": "重复的标题",
    "decorated title": "装饰过的重复标题",
    "page footer": "页脚",
    "date line": "日期行",
}

# What a file that is not text looks like ("looks like binary data (a PNG image)").
BINARY_KINDS = {
    "a PNG image": "PNG 图片",
    "a JPEG image": "JPEG 图片",
    "a GIF image": "GIF 图片",
    "a PDF document": "PDF 文档",
    "a ZIP archive": "ZIP 压缩包",
    "an old Office document": "旧版 Office 文档",
    "a gzip archive": "gzip 压缩包",
    "a RAR archive": "RAR 压缩包",
    "a 7-Zip archive": "7-Zip 压缩包",
    "a program": "程序文件",
    "a Windows program": "Windows 程序",
}

REPAIR_KINDS = {
    "mojibake": "乱码修复",
    "unrecoverable": "无法恢复",
    "misdecoded-utf8": "重新解码",
    "pinyin-hint": "拼音线索",
}

ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带字节顺序标记）",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16（小端）",
    "utf-16-be": "UTF-16（大端）",
    "utf-32": "UTF-32",
    "gb18030": "GB18030（国标）",
    "gbk": "GBK（国标）",
    "gb2312": "GB2312（国标）",
    "big5": "Big5（繁体）",
    "docx": "Word 文档（内含 UTF-8）",
}

FORMATS = {"txt": "纯文本", "docx": "Word 文档", "html": "网页"}

SCRIPTS = {"simplified": "简体", "traditional": "繁体", "mixed": "简繁混合", "unknown": "未知"}


def _named(table):
    """A replacement that names the phrase's first group through `table`."""
    return lambda template: lambda m: template.format(table.get(m.group(1), m.group(1)))


_encoding, _binary = _named(ENCODINGS), _named(BINARY_KINDS)

# Warnings and refusals, matched anywhere in a message ("名称: reason", "…：reason"):
# (pattern, Chinese with \1-style groups, or a function of the match). More specific
# patterns come first. A library's own English detail ("File is not a zip file") is left out.
PHRASES: list[tuple[re.Pattern, object]] = [
    (re.compile(p), zh)
    for p, zh in [
        # warnings
        (r"truncated: the text ends mid-sentence", "文末在句中截断：可能只是节选，已标为残篇"),
        (r"continues an essay from an earlier page", "接续前一页的文章（开头是残篇）"),
        (
            r"the text had been read as Windows-1252 and saved again; it was decoded back into Chinese",
            "此文本曾被当作 Windows-1252 读取后再保存（乱码），已还原为中文",
        ),
        (
            r"(\d[\d,]*) characters lost in the Windows-1252 mojibake are marked (\S)",
            r"乱码中丢失的 \1 个字已以 \2 标出",
        ),
        (
            r"(\d[\d,]*) damaged character\(s\) could not be recovered and are marked (\S); compare with the source",
            r"有 \1 个损坏的字无法恢复，已以 \2 标出，请与原文核对",
        ),
        # refusals
        (r"no text found", "没有找到文字"),
        (
            r"the file is empty \(nothing after the byte-order mark\)",
            "文件是空的（字节顺序标记之后没有内容）",
        ),
        (r"the file is empty", "文件是空的"),
        (
            r"looks like binary data \((\d[\d,]*) NUL bytes, not UTF-16 text\)",
            r"看来是二进制数据（含 \1 个 NUL 字节，不是 UTF-16 文本）",
        ),
        (r"looks like binary data \(many control bytes\)", "看来是二进制数据（控制字节很多）"),
        (r"looks like binary data \(([^)]*)\)", _binary("看来是二进制数据（{}），不是文本")),
        (
            r"starts with a (\S+) byte-order mark but is not valid (\S+)",
            r"以 \1 字节顺序标记开头，内容却不是有效的 \2 文本",  # names such as UTF-16
        ),
        (r"not valid UTF-8, UTF-16, GB18030 or Big5", "不是有效的 UTF-8、UTF-16、GB18030 或 Big5 文本"),
        (
            r"the text is cut off in the middle of its last character \(a truncated (\S+) file\?\)",
            _encoding("文本在最后一个字的中间断开（{} 文件下载或复制不完整？），未导入"),
        ),
        (
            r"old Word \.doc files are not supported; save it as \.docx",
            "不支持旧版 Word .doc 文件，请另存为 .docx 再导入",
        ),
        (r"RTF files are not supported; save it as \.docx", "不支持 RTF 文件，请另存为 .docx 再导入"),
        (r"is a damaged Word \.docx file \((.*)\)", "是损坏的 Word .docx 文件，无法读取"),
        (r"is a damaged ZIP archive or \.docx file \((.*)\)", "是损坏的 ZIP 压缩包或 .docx 文件，无法读取"),
        (r"is a ZIP archive but not a Word \.docx file", "是 ZIP 压缩包，但不是 Word .docx 文件"),
        (r"is a damaged HTML page \((.*)\)", "是损坏的网页，无法读取"),
    ]
]

# A name followed by an English reason: "name: reason" becomes "name：reason".
_NAME_COLON = re.compile(r"^(.+?): (?=[\u3400-\u9fff])")


def cleanup_label(action: str) -> str:
    """The Chinese name of a report action; an unknown one keeps its key (the tests find it)."""
    if action in CLEANUP:
        return CLEANUP[action]
    if action.startswith(CHROME_PREFIX):
        reason = action[len(CHROME_PREFIX) :]
        return f"删除网页杂项行（{CHROME_REASONS.get(reason, reason)}）"
    return action


def say(text) -> str:
    """A pipeline message (warning, refusal, or one of the keys above) in Chinese.

    Known phrases are replaced wherever they stand in the text, so a message that quotes one
    ("a.txt: no text found", "第 2 篇：truncated: …") is translated too; anything else is
    returned as it is.
    """
    if text is None:
        return ""
    text = str(text)
    for table in (SCRIPTS, ENCODINGS, FORMATS, REPAIR_KINDS):
        if text in table:
            return table[text]
    if text in CLEANUP or text.startswith(CHROME_PREFIX):
        return cleanup_label(text)
    translated = text
    for pattern, zh in PHRASES:
        translated = pattern.sub(zh, translated)
    if translated != text:
        translated = _NAME_COLON.sub(r"\1：", translated)
    return translated


# What became of one imported document: the import command's receipts and the admin's.
IMPORT_STATUS = {
    "created": "新建",
    "updated": "更新",
    "replaced": "替换",
    "unchanged": "未改动",
    "parsed": "已解析（试运行，未写入）",
    "kept": "保留已存版本",
    "skipped": "未导入",
    "unreadable": "无法导入",
    "conflict": "冲突",
    "failed": "失败",
}


# django-axes (login lockout) ships no Chinese; its admin pages read these instead
# (essays.admin.logins).
AXES_APP = "登录记录与锁定"
AXES_MODELS = {
    "accessattempt": ("登录失败记录", "登录失败记录"),
    "accesslog": ("登录日志", "登录日志"),
    "accessfailurelog": ("登录失败日志", "登录失败日志"),
    "accessattemptexpiration": ("失败记录的到期时间", "失败记录的到期时间"),
}
AXES_FIELDS = {
    "user_agent": "浏览器标识",
    "ip_address": "IP 地址",
    "username": "用户名",
    "http_accept": "HTTP Accept 头",
    "path_info": "路径",
    "attempt_time": "尝试时间",
    "locked_out": "已锁定",
    "get_data": "GET 数据",
    "post_data": "POST 数据",
    "failures_since_start": "失败次数",
    "logout_time": "退出时间",
    "session_hash": "会话密钥哈希（SHA-256）",
    "access_attempt": "登录失败记录",
    "expires_at": "到期时间",
}
AXES_WORDS = {
    "form_data": "表单数据",
    "meta_data": "请求信息",
    "locked_out": "已锁定",
    "not_locked_out": "未锁定",
    "remaining": "还可尝试 {} 次",
    "not_set": "未设置",
    "cleanup": "清除已过期的失败记录",
    "cleaned": "已清除 {} 条过期的失败记录。",
    "status": "状态",
    "expiration": "到期时间",
    # What an entry is called in page titles, delete confirmations and messages (its __str__).
    "attempt_str": "{username} 的登录失败记录（{time}）",
    "log_str": "{username} 的登录（{time}）",
    "failure_str": "{username} 的登录失败（{time}，来自 {ip}）",
    "failure_locked_str": "{username} 的登录失败并被锁定（{time}，来自 {ip}）",
    "expiration_str": "{attempt} 到期于 {time}",
}
