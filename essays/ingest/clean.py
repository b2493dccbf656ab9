"""Chrome and boilerplate removal, counters, watermarks and hard-wrap rejoining.

Input is the decoded, hygiene-cleaned text (pinyin and mojibake already repaired); output is
a list of `Line`s, each the cleaned text of one paragraph with the span of source lines it
came from, plus what the chrome told us about the document (page n/total, declared essay
count, date, site name, keywords). Every removed line is kept in `Cleaned.removed` with the
reason, and every action is counted in the report, so nothing disappears silently.

Rules are matched against the Simplified form of each line (one OpenCC pass over the whole
text), so 相關文章 and 相关文章 are the same rule; edits are applied to the original text.
The rules describe how the page types are built (content farms, document-sharing sites,
newspaper and court/party-organisation columns, 范文 compilations), not single files.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from .model import PartialDate, Report
from .script import to_simplified

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")
_HAN_TAIL = re.compile(f"[{HAN}]{{3,8}}$")
_STRIP = " \t\u3000\u00a0\u2002\u2003\u200b\ufeff"

# ---------------------------------------------------------------------------------------------
# Line-level chrome rules (Simplified text, stripped)
# ---------------------------------------------------------------------------------------------

_SEP = r"(?:>>|>|›|»|＞|→|/)"
BREADCRUMB = re.compile(
    rf"^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|所在位置|位置)?\s*[:：]?\s*"
    rf"(?:网站)?首\s*页\s*{_SEP}"
)
# "首页范文心得体会学习心得体会": a breadcrumb whose separators were images
BREADCRUMB_GLUED = re.compile(f"^(?:网站)?首页[{HAN}]{{2,24}}$")
NAV_PATH = re.compile(
    r"^[^\s>›»＞→。，,！!？?]{1,10}(?:\s*(?:>>|>|›|»|＞|→)\s*[^\s>›»＞→。，,！!？?]{1,14}){1,6}$"
)
_WIDGET_WORDS = (
    "分享到|分享至|分享|相关文章|相关阅读|相关推荐|相关文档|相关内容|相关范文|相关资料|相关专题|"
    "热门推荐|热门文章|热点新闻|热点推荐|热门阅读|猜你喜欢|推荐阅读|延伸阅读|精彩推荐|最新文章|最新推荐|"
    "上一篇|下一篇|上一页|下一页|返回顶部|回顶部|回到顶部|回顶部到底部|返回首页|返回列表|"
    "展开全文|阅读全文|查看全文|查看更多|点击查看|加载更多|展开阅读全文|剩余\\d+%未读|"
    "收藏本文|打印本文|关闭窗口|文档评论|发表评论|登录后发表评论|我要评论|我要举报|网友评论|"
    "责任编辑|编辑|责编|导航|网站导航|扫一扫|微信扫一扫|手机阅读|本文链接|原文链接|原文地址|"
    "下载文档|下载本文|全文下载|立即下载|点击下载|免费下载|在线阅读|相关搜索|标签|最新文档|热门文档|"
    "下载[Ww][Oo][Rr][Dd]文档|下载[Pp][Dd][Ff]文档|下载[Ww]ord版|手机扫码阅读|扫码阅读|手机版|打开APP|APP内阅读|"
    "收起|展开|点此复制本页地址|复制本页地址|复制链接"
)
WIDGET = re.compile(rf"^(?:{_WIDGET_WORDS})\s*[:：]?\s*(?:[(（]\s*\d*\s*[)）])?\s*(?:[:：].{{0,40}})?$")
# widgets that end an article: what follows them is page furniture
FOOTER_WIDGET = re.compile(
    r"^(?:分享到|分享至|相关文章|相关阅读|相关推荐|相关文档|相关内容|相关范文|热门推荐|热门文章|热门文档|"
    r"热点新闻|猜你喜欢|推荐阅读|延伸阅读|精彩推荐|最新文档|最新文章|上一篇|下一篇|返回顶部|回顶部|回到顶部|"
    r"文档评论|发表评论|登录后发表评论|我要评论|我要举报|网友评论|责任编辑|责编|点击下载|本文链接|原文链接|"
    r"您需要登录|你需要登录)"
)
BRACKET_META = re.compile(
    r"^(?:【\s*(?:作者|编辑|责任编辑|责编|来源|出处|发布|发布时间|时间|字体|浏览|点击|稿源|审核|校对)"
    r"\s*[:：][^】]*】\s*)+$"
)
DOC_META = re.compile(
    r"^[•·●▪◦\-*]?\s*(?:\d{1,7}|约\s*[\d.]+\s*[千万]?字|约?\s*\d+\s*页|共\s*\d+\s*页|"
    r"\d{4}-\d{1,2}-\d{1,2}\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*发布于\s*\S{0,10}|"
    r"举报|下载|收藏|分享|纠错|打印|阅读\s*\d+|浏览\s*\d+|\d+\s*人(?:已)?(?:阅读|浏览|下载|收藏|评价))$"
)
VIP = re.compile(
    r"(?:VIP|vip)(?:精品文档|会员专享)|文档评论\s*[(（]\s*\d+\s*[)）]|^\d+\s*亿\s*(?:VIP|vip)|开通(?:VIP|vip)"
)
FILE_TITLE = re.compile(r"^(?P<t>.{2,80}?)\.(?:docx?|pdf|txt|pptx?|xlsx?|wps|rtf)\s*(?:VIP)?$", re.I)
SITE_TALK = re.compile(
    r"本站|网站|文档|VIP|下载|付费|上传|会员|版权|侵权|举报|客服|退款|权益|服务费|用户协议|免责声明", re.I
)
# a line with a SITE_TALK match holds one of these; unlike SITE_TALK (re.I, which keeps sre from
# skipping ahead by first character) it scans at C speed
SITE_TALK_HINT = re.compile(
    r"本站|网站|文档|V|v|下载|付费|上传|会员|版权|侵权|举报|客服|退款|权益|服务费|用户协议|免责声明"
)
DATETIME = re.compile(r"(?P<y>(?:19|20)\d\d)[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})")
META_WORDS = re.compile(
    r"来源|作者|发布|发表|更新|时间|浏览|阅读|点击|编辑|责编|全文约|字数|人气|评论|查看原文|分类|栏目|标签"
)
META_LABEL = re.compile(
    r"^(?:来源|出处|稿源|发布时间|更新时间|发表时间|发布日期|时间|日期|浏览次数|阅读次数|点击次数|阅读量|"
    r"点击数|字数|所属栏目|栏目|分类|标签|tags?|网站客服|客服|客服电话|联系电话|投诉电话|QQ|微信号?|"
    r"审核|校对|终审|初审|复审|二审|三审|美编|排版|监制|摄影|信息来源|文章来源)\s*[:：]",
    re.I,
)
SOURCE_SITE = re.compile(r"来源\s*[:：]\s*(?P<site>[^\s:：|｜,，。]{2,16})")
COUNTER_FIELD = re.compile(r"(?:点击|浏览|阅读|评论|围观|人气|回复|查看|下载|收藏|点赞)\s*[:：]?\s*\d+\s*次?")
PREFACE = re.compile(
    r"(?:小编|本站|本网|编辑为|为你收集|为您收集|为大家收集|为你整理|为您整理|为大家整理|精心整理|精心收集|"
    r"收集了|整理了|搜集了).{0,80}(?:仅供参考|欢迎阅读|欢迎参考|希望对|希望能|收藏|借鉴|供大家|供你|供您)"
)
PREFACE_TOPIC = re.compile(
    r"(?:收集|整理|搜集|精选)了?(?:丰富的|一些|几篇|多篇|\d+篇|[一二三四五六七八九十]+篇)?"
    r"(?P<t>[^，,。：:\s]{2,24}?)(?:主题)?(?:范文|文章|资料|例文|模板|素材)"
)
PREFACE_COUNT = re.compile(
    r"(?:整理|收集|搜集|精选|汇编|收录|带来|分享|推荐)了?(?:以下|如下)?\s*(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*篇"
)
KEYWORD_LINE = re.compile(r"^(?:本文)?(?:关键词|关键字|主题词|标签|tags?)\s*[:：]\s*(?P<k>.+)$", re.I)
SITE_KEYWORDS = re.compile(r"^本文(?:关键词|关键字)\s*[:：]")
COPYRIGHT = re.compile(
    r"版权所有|Copyright|copyright|COPYRIGHT|©|ICP备|ICP证|公网安备|All [Rr]ights [Rr]eserved|all [Rr]ights [Rr]eserved|"
    r"不得转载|禁止转载|"
    r"转载请注明|如有侵权|侵权请联系|联系删除|整理发布"
)
IMAGE_NOTE = re.compile(
    r"^(?:注|备注)?\s*[:：]?\s*(?:图片|图文|配图|本文图片)(?:均)?(?:来自|来源|来源于|源自|取自)(?:于)?(?:网络|互联网)"
)
MARKDOWN_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")
URL_LINE = re.compile(r"https?://|www\.|\]\(")
# A line ending inside an address (no space or closing bracket after its start), and a
# line that can only be the rest of one: address characters, a closing bracket at most.
URL_OPEN = re.compile(r"(?:https?://|www\.)[^\s)）]*$")
URL_REST = re.compile(r"^[A-Za-z0-9\-._~%/?#=&+:;@!$*,]+[)）]?$")
LINK_TEXT = re.compile(r"\[[^\]]*\]\([^)]*\)|https?://\S+|www\.\S+")
SEPARATOR = re.compile(r"^[\s\-–—_=*~#]{3,}$")
PAGE_MARK = re.compile(
    r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d+\s*页\s*(?:[/，,]?\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3}|"
    r"[-—–－]?\s*第\s*\d+\s*页\s*[-—–－]?)$"
)

# where the text was first published: "（本文原载于某某月刊第25期）"
SOURCE_NOTE = re.compile(
    r"^[（(]\s*(?:本文|此文|该文)?(?:原载于|原载|原刊于|原刊|刊载于|刊于|发表于|原发表于|选自|摘自|转载自|转自)"
    r"[^()（）]{1,40}[)）]$"
)
# the end of a printed text: "（完）", "【全文完】", "—完—"
END_MARK = re.compile(r"^[（(【\[—–\-]+\s*(?:全文完|本文完|完)\s*[)）】\]—–\-]+$")
LOGIN = re.compile(r"^(?:您|你)?(?:需要)?登录后?(?:才可以|才能|即可)?(?:发表评论|评论|查看|下载)")
WELCOME = re.compile(r"^(?:您好|你好)?[，,!！\s]*欢迎(?:访问|来到|光临|您|你)")
NOTICE_LABEL = re.compile(
    r"^(?:温馨提示|下载提示|下载须知|注意事项|免责声明|特别提示|重要提示|阅读提示)\s*[:：]?$"
)
NOTICE_ITEM = re.compile(r"^[-•·*]?\s*\d{1,2}\s*[、.．]")
DOC_SHARED = re.compile(r"由(?:会员|用户|网友)\S{0,12}(?:分享|上传)|可在线阅读|更多相关")
ENDS_DATETIME = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?$")
META_TAIL = re.compile(
    r"\s*(?:作者|来源|发布时间|发表时间|更新时间|发布日期|时间|日期|浏览|点击|阅读)\s*[:：].*$"
)
# "信息来源：县纪委 发布日期：2022年8月3日 点击数：": two labelled fields make a metadata line
META_FIELD = re.compile(
    r"(?:信息来源|文章来源|来源|出处|稿源|作者|发布日期|发布时间|发表时间|更新时间|录入时间|日期|时间|"
    r"点击数|点击量|点击次数|浏览次数|浏览量|阅读次数|阅读量|访问量|访问次数|字号|字体|责任编辑|编辑|责编|"
    r"审核|校对|供稿|撰稿|通讯员|摄影)\s*[:：]"
)
# "2022年8月3日" as well as 2022-08-03, for the date a metadata line gives
META_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)(?:[-/]|\s*年\s*)(?P<m>\d{1,2})(?:[-/]|\s*月\s*)(?P<d>\d{1,2})")
# a site's own footer: who runs it, who built it, its registration
SITE_FOOTER = re.compile(
    r"(?:主办单位|承办单位|协办单位|主办|承办|协办|技术支持|网站标识码|联系电话|地址|邮编|传真|备案号)\s*[:：]|"
    r"网站地图|联系我们|政府网站找错|ICP备"
)
SITE_FOOTER_ALONE = re.compile(r"^(?:技术支持|网站标识码|备案号)\s*[:：]")
# a menu bar: "首页 | 机构概况 | 工作动态 | 党建工作"
MENU_SPLIT = re.compile(r"[|｜\s]+")
# page tools: "【字体：大 中 小】 打印本页 关闭窗口", "[打印本页] [关闭窗口]"
TOOLBAR_SPLIT = re.compile(r"[\s|｜【】\[\]「」()（）:：/·•]+")
TOOLBAR_WORDS = frozenset(
    "字体 字号 大 中 小 默认 打印 打印本页 打印本文 打印此页 打印文章 打印页面 关闭 关闭窗口 关闭本页 "
    "收藏 收藏本页 收藏本文 加入收藏 分享 分享到 返回 返回顶部 返回列表 顶部 纠错 我要纠错 保存 保存本页 "
    "复制链接 推荐 推荐给好友 视力保护色 护眼模式 放大 缩小 A A+ A-".split()
)
TOOLBAR_HINT = re.compile(r"打印|关闭|字体|字号|收藏")
# WeChat articles copied with their furniture
WECHAT = re.compile(
    r"^(?:收录于(?:话题|合集|专辑)|#[^\s#]{2,20}\s*\d+\s*个(?:内容)?$|[-—–\s]*END[-—–\s]*$|阅读原文$|"
    r"(?:点击|点个|点亮|记得)\s*[“\"「]?在看|[“\"「]在看[”\"」]|长按(?:识别)?(?:二维码|关注)|扫码关注|"
    r"喜欢此内容的人还喜欢|预览时标签不可点|微信扫一扫(?:关注|可打开)|(?:点击)?上方蓝字)"
)
META_AUTHOR = re.compile(r"作者\s*[:：]\s*(?P<a>[^\s:：|｜,，]{2,6})")
PIPES = re.compile(r"^[|｜\s]+$")
DIGIT_LINE = re.compile(r"^\d{1,2}$")

# ---------------------------------------------------------------------------------------------
# Inline rules (applied to the original text at the spans found in the Simplified text)
# ---------------------------------------------------------------------------------------------

# a watermark names its source with one of these
WATERMARK_HINT = re.compile(r"来源|出处|转自|转载自|稿源")
WATERMARK = re.compile(
    r"[（(]\s*(?:来源|出处|转自|转载自|本文来源|稿源)\s*[:：]\s*[^()（）]{0,20}?"
    r"(?:站|网|文库|范文|\.com|\.cn|www)[^()（）]{0,10}[)）]",
    re.I,
)
PAGINATION = re.compile(
    r"[（(]\s*第\s*(?P<n>\d+)\s*/\s*(?P<t>\d+)\s*页\s*[)）]|第\s*(?P<n2>\d+)\s*页\s*[/，,]?\s*共\s*(?P<t2>\d+)\s*页"
)
TITLE_COUNTERS = [
    ("declared", re.compile(r"\s*[（(]\s*[^()（）\d]{0,6}(?P<n>\d+)\s*篇\s*[)）]\s*$")),
    ("words", re.compile(r"\s*[（(]\s*(?:全文)?(?:约|共)?\s*\d+\s*字\s*[)）]\s*$")),
    ("number", re.compile(r"\s*[（(]\s*\d{1,3}\s*[)）]\s*$")),
    (
        "label",
        re.compile(
            r"\s*[（(]\s*(?:精选|热门|实用|通用|优秀|最新|经典|必备|推荐|汇总|大全|合集|集锦|范文)[^()（）]{0,6}[)）]\s*$"
        ),
    ),
]
TITLE_LABEL = re.compile(r"^[【\[]\s*(?P<l>[^【】\[\]\d篇第]{2,6})\s*[】\]]\s*")
DECLARED = re.compile(r"(?<!篇)(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*篇(?![章目幅])")
DATE_PREFIX = re.compile(r"^(?:(?P<y>(?:19|20)\d\d)[.．/-])?(?P<m>\d{1,2})[.．/-](?P<d>\d{1,2})\s+(?=\S)")
# a line that is only a date: "2023年12月20日", "（2023年6月）", "2023.12.20"
DATE_LINE = re.compile(
    r"^[（(]?\s*(?P<y>(?:19|20)\d\d)\s*(?:年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?|"
    r"[.\-/]\s*(?P<m2>\d{1,2})\s*[.\-/]\s*(?P<d2>\d{1,2}))\s*[)）]?$"
)
HIDDEN_TEXT = re.compile(r"…*\s*此处隐藏\s*\d+\s*个?字\s*…*")
HTML_JUNK = re.compile(r"^[\"']?\s*>\s*|</?(?:h\d|p|br|div|span|strong|b|i|em|font|section)\b[^>]*>", re.I)
FRONT_TITLE = re.compile(r"^title\s*:\s*(?P<q>['\"]?)(?P<t>.+?)(?P=q)\s*$")

TERMINAL = "。！？!?…；;"
CLOSE_QUOTES = "”’」』）)》】"
LIST_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[、.．](?!\d)|"
    r"第[一二三四五六七八九十\d]+[，,、:：]|[●■◆▲★☆○◎]|其[一二三四五六七八九十]|[①-⑳])"
)
TITLE_PARTICLE_END = re.compile(r"(?:的|之|与|和|及|暨|对|关于|以及|为了|在)$")

CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(s: str) -> int | None:
    """1–99 written in Arabic or Chinese numerals."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in CN_NUM for c in s):
        return None
    if s == "十":
        return 10
    if "十" in s:
        head, _, tail = s.partition("十")
        return (CN_NUM.get(head, 1) if head else 1) * 10 + (CN_NUM.get(tail, 0) if tail else 0)
    return CN_NUM[s] if len(s) == 1 else None


@dataclass
class Line:
    """One cleaned paragraph and the 0-based source lines [start, end] it came from."""

    text: str
    start: int
    end: int
    hint: str | None = None
    raw: str = ""  # the text before inline edits (counters, date prefix), for *_raw fields
    simp: str = ""  # the text in Simplified script (before punctuation widths were normalised)


@dataclass
class Cleaned:
    lines: list[Line]
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line index, text, reason)
    page: tuple[int, int] | None = None
    declared: int | None = None
    date: PartialDate | None = None
    front_title: str | None = None
    file_title: str | None = None
    preface_topic: str | None = None
    sites: set[str] = field(default_factory=set)
    keywords: list[str] = field(default_factory=list)
    title_variants: list[str] = field(default_factory=list)
    # a bare number line ("1", "2") right above a line: that line's source index -> the number
    numbered: dict[int, int] = field(default_factory=dict)
    # source lines right after a separator line (*** or ———): where a piece may begin
    separated: set[int] = field(default_factory=set)
    meta_authors: list[str] = field(default_factory=list)  # from "作者:…" in metadata lines
    title_counter: bool = False  # counters, a page marker or a date were cut from the title line
    preface: list[str] = field(default_factory=list)  # the collection's own intro (line-role model)
    simplified: bool = False  # the text had nothing for OpenCC t2s to change


def strip_line(s: str) -> str:
    return s.strip(_STRIP)


def han_count(s: str) -> int:
    return len(_HAN_RE.findall(s))


_NARROW = re.compile(r"[^\u1100-\uffff,:;()?!]")


def display_width(s: str) -> int:
    """Columns as typeset: CJK and (originally full-width) ASCII punctuation count 2.

    Everything from U+1100 up counts as wide (CJK, full-width forms, and the ambiguous “”…
    that Chinese typesetting sets full width); below that only ,:;()?! do (NFKC folded them)."""
    return 2 * len(s) - len(_NARROW.findall(s))


def ends_terminal(s: str) -> bool:
    """Ends a sentence: 。！？… or a closing quote/bracket right after one."""
    s = s.rstrip(_STRIP)
    if not s:
        return False
    if s[-1] in TERMINAL or s.endswith("......"):
        return True
    if s[-1] in CLOSE_QUOTES:
        inner = s.rstrip(CLOSE_QUOTES)
        return bool(inner) and (inner[-1] in TERMINAL or inner.endswith("......"))
    return False


def is_sentence(s: str) -> bool:
    """A line that reads as a sentence of text: ten Han characters or more, ending as a
    sentence ends (shorter than is_prose asks: "以实际行动践行初心使命，做到知行合一。")."""
    return ends_terminal(s) and han_count(s) >= 10


def is_prose(s: str) -> bool:
    """A paragraph of running text (not a title, heading, byline or widget).

    A question or exclamation mark at the end of a short line does not make it prose
    (下鄉掛職鍛煉難道只是一種形式嗎? is a title)."""
    if len(s) >= 60:
        return True
    if len(s) < 40:
        s = s.rstrip("?？!！")
    return len(s) >= 25 and any(c in s for c in "。！？!?；;")


# ---------------------------------------------------------------------------------------------


@cache
def _traditional_chars() -> re.Pattern:
    """A character class of every CJK character OpenCC t2s changes (built once, ~4,000)."""
    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    converted = to_simplified("\n".join(chars)).split("\n")
    return re.compile(
        "[" + re.escape("".join(a for a, b in zip(chars, converted, strict=True) if a != b)) + "]"
    )


def has_traditional(text: str) -> bool:
    """Whether the text has a character t2s would change (a fast scan, no conversion)."""
    return _traditional_chars().search(text) is not None


def _simplified_lines(text: str, raw: list[str]) -> tuple[list[str], str, bool]:
    """The source lines in Simplified script, the whole text so, and whether nothing changed."""
    if not has_traditional(text):  # most documents: nothing to convert
        return raw, text, True
    converted = to_simplified(text)
    if converted == text:
        return raw, text, True
    simp = converted.split("\n")
    if len(simp) != len(raw):  # OpenCC never joins lines, but be safe
        simp = [to_simplified(line) for line in raw]
        converted = "\n".join(simp)
        return simp, converted, all(a == b for a, b in zip(raw, simp, strict=True))
    return simp, converted, False  # same line count and a different text: some line differs


def _edit_at_spans(orig: str, simp: str, spans: list[tuple[int, int]], repl: str = "") -> str:
    """Cut spans found in the Simplified text out of the original (same length in practice)."""
    if len(orig) != len(simp):
        return orig
    for a, b in sorted(spans, reverse=True):
        orig = orig[:a] + repl + orig[b:]
    return orig


# every rule that can fire on a line longer than 100 characters needs one of these. Each
# alternative starts with a literal character, so the scan skips ahead at C speed (a class such
# as [Cc] would make sre try a match at every position: ten times slower).
LONG_LINE_SUSPECT = re.compile(
    r"首\s*页|位置|本站|网站|文档|VIP|vip|下载|付费|上传|会员|版权|侵权|举报|客服|退款|权益|服务费|用户协议|免责|"
    r"小编|本网|编辑|收集|整理|搜集|精选|Copyright|copyright|COPYRIGHT|©|ICP|公网安备|转载|删除|http|www|\]\(|分享|"
    r"在线阅读|更多相关|图片|图文|配图"
)
LONG_LINE_STARTS = ("【", "本文", "关键词", "关键字", "主题词", "标签")


# Cheap exact pre-tests: what a line must hold (or start with) for an anchored rule to match.
# A failed regex call costs far more than a membership test, and most lines match no rule.
_WIDGET_FIRST = frozenset(w[0] for w in _WIDGET_WORDS.split("|"))
_NAV_SEPARATORS = re.compile(r"[>›»＞→]")
_DOC_META_FIRST = "•·●▪◦-*约共举下收分纠打阅浏"
_NOTICE_LABEL_FIRST = "温下注免特重阅"
_SEPARATOR_FIRST = "-–—_=*~#"
_PAGE_MARK_FIRST = "-—–－第"
_DIGIT = re.compile(r"\d")
_WECHAT_FIRST = '收#-—–E阅点记“"「长扫喜预微上'


def chrome_reason(s: str, suspect: bool | None = None) -> str | None:
    """Why a whole (Simplified, stripped) line is page chrome, or None.

    `suspect`, when given, says whether LONG_LINE_SUSPECT matches the line (the caller may
    know it from one scan of the whole document)."""
    if not s:
        return None
    n = len(s)
    if n > 100 and not s.startswith(LONG_LINE_STARTS):
        if not (LONG_LINE_SUSPECT.search(s) if suspect is None else suspect):
            return None  # running text: none of the rules below can fire on it
    if n > 240:  # a long paragraph: only a site notice can be chrome
        if "首" in s and BREADCRUMB.match(s):
            return "breadcrumb"
        if SITE_TALK_HINT.search(s) and _site_talk(s) >= 3:
            return "site notice"
        return None
    short = n <= 80
    first = s[0]
    space_first = first.isspace()
    if "首" in s and (BREADCRUMB.match(s) or (short and BREADCRUMB_GLUED.match(s))):
        return "breadcrumb"
    if n <= 60 or " " in s or first in ">»›|":  # else the squeezed line is still over 60
        squeezed = s.lstrip(">»›| ").replace(" ", "")
        if len(squeezed) <= 60 and squeezed[:1] in _WIDGET_FIRST and WIDGET.match(squeezed):
            return "widget"
    if short and _NAV_SEPARATORS.search(s) and NAV_PATH.match(s):
        return "navigation"
    if short and ("|" in s or "｜" in s or "首页" in s) and _menu(s):
        return "navigation"
    if first == "【" and BRACKET_META.match(s):
        return "article metadata"
    if short:
        if (first in _DOC_META_FIRST or first.isdecimal() or space_first) and DOC_META.match(s):
            return "document-site metadata"
        if ("VIP" in s or "vip" in s or "文档评论" in s) and VIP.search(s):
            return "document-site metadata"
    if n <= 60 and TOOLBAR_HINT.search(s) and _toolbar(s):
        return "widget"
    if n <= 60 and first in _WECHAT_FIRST and WECHAT.match(s):
        return "widget"
    if "." in s and FILE_TITLE.match(s):
        return "file name"
    if n <= 60 and "登录" in s and LOGIN.match(s):
        return "widget"
    if n <= 40 and "欢迎" in s and WELCOME.match(s):
        return "site header"
    if first in _NOTICE_LABEL_FIRST and NOTICE_LABEL.match(s):
        return "site notice"
    if n <= 200 and DOC_SHARED.search(s):
        return "document-site metadata"
    if (first in "|｜" or space_first) and PIPES.match(s):
        return "separator"
    if n <= 50 and s.rstrip()[-1:].isdecimal() and ENDS_DATETIME.search(s) and not is_prose(s):
        return "article metadata"
    if SITE_TALK_HINT.search(s) and _site_talk(s) >= 3:
        return "site notice"
    if n <= 100 and "。" not in s.rstrip("。"):
        if DATETIME.search(s) and META_WORDS.search(s):
            return "article metadata"
        if len(COUNTER_FIELD.findall(s)) >= 2 or (s.count("|") + s.count("｜") >= 2 and _DIGIT.search(s)):
            return "counters"
        if (":" in s or "：" in s) and len({m.group(0)[:2] for m in META_FIELD.finditer(s)}) >= 2:
            return "article metadata"
    if n <= 160 and "。" not in s.rstrip("。") and _site_footer(s):
        return "site footer"
    if n <= 60 and (":" in s or "：" in s) and META_LABEL.match(s):
        return "article metadata"
    if first == "本" and SITE_KEYWORDS.match(s):
        return "site keywords"
    if PREFACE.search(s):  # n <= 240 here
        return "editor's preface"
    if n <= 120 and COPYRIGHT.search(s):
        return "copyright"
    if "图" in s and IMAGE_NOTE.match(s):
        return "image credit"
    url = URL_LINE.search(s)
    if (first == "!" and MARKDOWN_IMAGE.match(s)) or (url and not _HAN_RE.search(LINK_TEXT.sub("", s))):
        return "link"
    if n <= 80 and url and not is_prose(s):
        return "link"
    if (first in _SEPARATOR_FIRST or space_first) and SEPARATOR.match(s):
        return "separator"
    if (first in _PAGE_MARK_FIRST or first.isdecimal() or space_first) and PAGE_MARK.match(s):
        return "page marker"
    if n <= 8 and "完" in s and END_MARK.match(s):
        return "end mark"
    if n <= 50 and first in "（(" and SOURCE_NOTE.match(s):
        return "source note"
    return None


def _menu(s: str) -> bool:
    items = [x for x in MENU_SPLIT.split(s) if x]
    if len(items) < 3 or not all(2 <= len(x) <= 10 and not _CLAUSE_MARK.search(x) for x in items):
        return False
    return s.count("|") + s.count("｜") >= 2 or ("首页" in items and len(items) >= 4)


def _toolbar(s: str) -> bool:
    pieces = [p for p in TOOLBAR_SPLIT.split(s) if p]
    return bool(pieces) and all(p in TOOLBAR_WORDS for p in pieces)


def _site_footer(s: str) -> bool:
    if SITE_FOOTER_ALONE.match(s):
        return True
    return len({m.group(0).rstrip(":： ") for m in SITE_FOOTER.finditer(s)}) >= 2


def _site_talk(s: str) -> int:
    """How many different site-talk words (本站, 下载, VIP…) the line uses."""
    return len({m.group(0).upper() for m in SITE_TALK.finditer(s)})


def _front_matter(lines: list[str]) -> tuple[int, str | None]:
    """YAML front matter (--- ... ---) at the top: (number of lines it spans, its title)."""
    i = 0
    while i < len(lines) and not strip_line(lines[i]):
        i += 1
    if i >= len(lines) or strip_line(lines[i]) != "---":
        return 0, None
    title = None
    for j in range(i + 1, min(len(lines), i + 200)):
        s = strip_line(lines[j])
        if s == "---":
            return j + 1, title
        m = FRONT_TITLE.match(s)
        if m and title is None:
            title = m.group("t").strip()
    return 0, None


def _date(y: str | None, m: str, d: str | None) -> PartialDate | None:
    month, day = int(m), int(d) if d else None
    if not (1 <= month <= 12 and (day is None or 1 <= day <= 31)) or (day is None and not y):
        return None
    return PartialDate(year=int(y) if y else None, month=month, day=day)


def clean(
    text: str,
    report: Report,
    hints: dict[int, str] | None = None,
    wrapped_widths: list[int] | None = None,
) -> Cleaned:
    """`wrapped_widths`: each line's display width before earlier stages shortened it, which is
    the width a hard wrap was made at."""
    hints = hints or {}
    raw = text.split("\n")
    n = len(raw)
    simp, stext, simplified = _simplified_lines(text, raw)
    cur = [x.strip(_STRIP) for x in raw]  # current (original-script) text per source line
    before = list(cur)  # the same before inline edits
    scur = list(cur) if simplified else [x.strip(_STRIP) for x in simp]
    keep = [bool(x) for x in cur]
    out = Cleaned(lines=[], simplified=simplified)

    def drop(i: int, reason: str) -> None:
        if keep[i]:
            keep[i] = False
            out.removed.append((i, cur[i], reason))
            report.count(f"chrome line removed: {reason}")

    # front matter (Markdown/Jekyll posts): its title is the document's title
    fm_end, out.front_title = _front_matter(raw)
    for i in range(fm_end):
        if cur[i]:
            drop(i, "front matter")

    # 0. markup left in the text, "……此处隐藏1234个字……"
    # (stext, the whole Simplified text, holds every line: a word missing from it is missing from
    # every line, so one scan of it can rule a step out for the whole document)
    if "<" in text or ">" in text or "隐藏" in stext:
        for i in range(fm_end, n):
            if keep[i] and ("<" in cur[i] or ">" in cur[i] or "隐藏" in scur[i]):
                for rx in (HTML_JUNK, HIDDEN_TEXT):
                    cur[i], scur[i] = strip_line(rx.sub("", cur[i])), strip_line(rx.sub("", scur[i]))
                if not cur[i]:
                    drop(i, "markup")
        stext = "\n".join(scur)  # cutting markup can join words
    # no suspect word anywhere: no long line can be chrome (see chrome_reason)
    suspect = None if LONG_LINE_SUSPECT.search(stext) else False

    # 1. whole-line chrome
    digit_lines: list[tuple[int, int]] = []
    notice = link = False
    for i in range(fm_end, n):
        if not keep[i]:
            continue
        s = scur[i]
        reason = chrome_reason(s, suspect)
        if reason is None and notice and NOTICE_ITEM.match(s):
            reason = "site notice"  # the numbered items under 温馨提示:
        if reason is None and link and URL_REST.match(s):
            reason = "link"  # the rest of an address hard-wrapped off the line above
        notice = reason == "site notice"
        link = reason == "link" and URL_OPEN.search(s) is not None
        if reason is None:
            continue
        if reason == "file name":
            m = FILE_TITLE.match(cur[i])
            out.file_title = out.file_title or (m.group("t").strip() if m else None)
        elif reason == "editor's preface":
            _mine_preface(cur[i], s, out)
        elif reason == "site keywords":
            _mine_keywords(s, out)
        if reason in ("article metadata", "document-site metadata", "counters"):
            m = META_DATE.search(s)
            if m and out.date is None:
                out.date = _date(m.group("y"), m.group("m"), m.group("d"))
            for m in META_AUTHOR.finditer(s):
                out.meta_authors.append(m.group("a"))
        for m in SOURCE_SITE.finditer(s):
            out.sites.add(m.group("site"))
        if reason == "article metadata":
            # "——记人民公仆焦裕禄 作者:杨宗海 发布时间:…": keep what precedes the metadata
            m = META_TAIL.search(s)
            head = s[: m.start()].strip() if m else ""
            if head and len(cur[i]) == len(s) and not DATETIME.search(head) and han_count(head) >= 4:
                out.removed.append((i, cur[i][m.start() :], "article metadata"))
                report.count("metadata cut from a line")
                cur[i], scur[i] = strip_line(cur[i][: m.start()]), head
                continue
        if DIGIT_LINE.match(s) and int(s) > 0:
            digit_lines.append((i, int(s)))
        drop(i, reason)

    _drop_running_heads(scur, keep, drop, [i for i, _t, why in out.removed if why == "page marker"])

    # 2. inline: watermarks and pagination markers anywhere
    watermarks = WATERMARK_HINT.search(stext) is not None
    pages = "页" in stext
    for i in range(n):
        if not keep[i]:
            continue
        s = scur[i]
        spans = [m.span() for m in WATERMARK.finditer(s)] if watermarks else None
        if spans:
            cur[i] = strip_line(_edit_at_spans(cur[i], s, spans))
            scur[i] = strip_line(_edit_at_spans(s, s, spans))
            report.count("watermark removed", len(spans))
        if pages and len(s) <= 100:
            m = PAGINATION.search(scur[i])
            if m:
                page = (int(m.group("n") or m.group("n2")), int(m.group("t") or m.group("t2")))
                if 0 < page[0] <= page[1]:
                    out.page = out.page or page
                cur[i] = strip_line(_edit_at_spans(cur[i], scur[i], [m.span()]))
                scur[i] = strip_line(scur[i][: m.start()] + scur[i][m.end() :])
                report.count("page counter removed")
        if not cur[i]:
            drop(i, "counter")

    # 3. the document head: site header, duplicated and decorated title lines, counters
    _clean_head(cur, scur, keep, drop, out, report)

    # 4. the tail: after a footer widget, page furniture only
    _clean_tail(cur, scur, keep, drop, report)

    # lines equal to the site's own name (learned from 来源: lines)
    if out.sites:
        for i in range(n):
            if keep[i] and scur[i] in out.sites:
                drop(i, "site name")

    # keyword lines in the text feed themes (they stay in the text); they have a colon
    if ":" in stext or "：" in stext:
        for i in range(n):
            if keep[i] and len(scur[i]) <= 80:
                _mine_keywords(scur[i], out)

    for i, _t, why in out.removed:
        if why == "separator":
            after = next((j for j in range(i + 1, n) if keep[j]), None)
            if after is not None:
                out.separated.add(after)

    # a bare number right above a line numbers that line (an essay number in compilations)
    for i, value in digit_lines:
        nxt = next((j for j in range(i + 1, min(n, i + 4)) if keep[j]), None)
        if nxt is not None:
            out.numbered[nxt] = value

    # 5. rejoin hard-wrapped lines, across page breaks (a paragraph runs on to the next page)
    breaks = _page_breaks(keep, cur, out.removed)
    rest = [i for i in range(n) if i not in breaks] if breaks else range(n)
    known = [wrapped_widths[i] for i in rest] if wrapped_widths and len(wrapped_widths) == n else None
    groups = [
        (rest[a], rest[b]) for a, b in _unwrap([cur[i] if keep[i] else "" for i in rest], report, known)
    ]

    lines: list[Line] = []
    for start, end in groups:
        if start == end:  # most paragraphs are one source line
            if keep[start] and cur[start]:
                lines.append(Line(cur[start], start, start, hints.get(start), before[start], scur[start]))
            continue
        parts = [cur[i] for i in range(start, end + 1) if keep[i]]
        textline = "".join(parts)
        if not textline:
            continue
        hint = next((hints[i] for i in range(start, end + 1) if i in hints), None)
        rawline = "".join(before[i] for i in range(start, end + 1) if keep[i])
        simpline = "".join(scur[i] for i in range(start, end + 1) if keep[i])
        lines.append(Line(text=textline, start=start, end=end, hint=hint, raw=rawline, simp=simpline))
    _join_wrapped_title(lines, report)
    _join_open_brackets(lines, report)
    _remove_seo_injection(lines, report, out.simplified)
    out.lines = lines
    return out


def _drop_running_heads(scur, keep, drop, marks: list[int]) -> None:
    """A short line repeated beside the page markers is the printed page's header or footer."""
    if not marks:
        return
    near: dict[str, set[int]] = {}
    for mark in [-1, *marks]:  # the top of the document is the top of a page too
        for step in (-1, 1) if mark >= 0 else (1,):
            j, seen = mark + step, 0
            while 0 <= j < len(scur) and seen < 2:
                if keep[j]:
                    seen += 1
                    s = scur[j]
                    # a header holds no clause: a line of running text always may
                    if len(s) <= 40 and not _CLAUSE_MARK.search(s) and not LIST_ITEM.match(s):
                        near.setdefault(s, set()).add(j)
                j += step
    kept = Counter(scur[i] for i in range(len(scur)) if keep[i] and scur[i] in near)
    for s, where in near.items():
        if len(where) >= 2 and kept[s] == len(where):  # and never away from a page break
            for i in sorted(where):
                drop(i, "running header")


def _page_breaks(keep, cur, removed) -> set[int]:
    """The lines of each page break: a page marker or running header with the blank and
    removed lines around it, which the unwrapping looks through."""
    furniture = {i for i, _t, why in removed if why in ("page marker", "running header")}
    if not furniture:
        return set()
    breaks: set[int] = set()
    for i in sorted(furniture):
        if i in breaks:
            continue
        lo = hi = i
        while lo > 0 and not (keep[lo - 1] and cur[lo - 1]):
            lo -= 1
        while hi + 1 < len(cur) and not (keep[hi + 1] and cur[hi + 1]):
            hi += 1
        breaks.update(range(lo, hi + 1))
    return breaks


def _mine_preface(orig: str, s: str, out: Cleaned) -> None:
    m = PREFACE_TOPIC.search(s)
    if m and out.preface_topic is None:
        a, b = m.span("t")
        topic = orig[a:b] if len(orig) == len(s) else m.group("t")
        out.preface_topic = topic
    m = PREFACE_COUNT.search(s)
    if m and out.declared is None:
        out.declared = cn_number(m.group("n"))


def _mine_keywords(s: str, out: Cleaned) -> None:
    m = KEYWORD_LINE.match(s) or (re.match(r"^本文(?:关键词|关键字)\s*[:：]\s*(?P<k>[^，,。]+)", s))
    if not m:
        return
    for word in re.split(r"[\s,，、;；|/]+", m.group("k")):
        word = word.strip("。.")
        if 2 <= len(word) <= 12 and word not in out.keywords:
            out.keywords.append(word)


def _title_like(s: str) -> bool:
    return 2 <= len(s) <= 60 and not is_prose(s) and not s.endswith(("。", "，", ",", "；", ";", "：", ":"))


def _clean_head(cur, scur, keep, drop, out: Cleaned, report: Report) -> None:
    n = len(cur)
    head: list[int] = []
    for i in range(n):
        if not keep[i]:
            continue
        if is_prose(scur[i]) and not scur[i].endswith(("?", "？", "!", "！")):
            break
        head.append(i)
        if len(head) >= 12:
            break
    if not head:
        return
    # a short site header above the breadcrumb (logo text such as 百合文库)
    crumbs = [r for (r, _t, why) in out.removed if why in ("breadcrumb", "navigation") and r < head[-1]]
    if crumbs:
        last_crumb = max(crumbs)  # a site's menu bar, then its column's breadcrumb, say
        for i in head:
            if i < last_crumb and len(scur[i]) <= 12 and not _CLAUSE_MARK.search(scur[i]):
                drop(i, "site header")
    head = [i for i in head if keep[i]]
    # a column of one-word tiles (a keyword cloud split into lines), four or more
    run: list[int] = []
    first_long = next((k for k, i in enumerate(head) if len(scur[i]) >= 6), len(head))
    for i in [*head[:first_long], None]:
        if i is not None and len(scur[i]) <= 4 and not _CLAUSE_MARK.search(scur[i]):
            run.append(i)
            continue
        if len(run) >= 4:  # a short title, unit and name make three
            for j in run:
                drop(j, "keyword tiles")
        run = []
    head = [i for i in head if keep[i]]
    # exact duplicates of a head line (the page title repeated as the article title)
    seen: dict[str, int] = {}
    for i in head:
        key = _SPACES.sub("", scur[i])
        if key in seen:
            drop(i, "duplicate title")
            report.count("duplicate title removed")
        else:
            seen[key] = i
    head = [i for i in head if keep[i]]
    # decorated variants of the real title above it: "栏目_标题", "1000字写好标题(2篇)"
    titles = [i for i in head if _title_like(scur[i]) and not LIST_ITEM.match(scur[i])]
    keys = {i: _variant_key(scur[i]) for i in titles}
    for a in titles:
        for b in titles:
            kb, ka = keys[b], keys[a]
            if b > a and kb == ka and len(kb) >= 4 and keep[a]:
                drop(b, "duplicate title")
                continue
            if b > a and len(kb) >= 6 and len(kb) >= 0.4 * len(ka) and kb in ka and len(ka) > len(kb):
                out.title_variants.append(cur[a])
                drop(a, "decorated title")
                break
    head = [i for i in head if keep[i]]
    if not head:
        return
    # counters, date prefix on the first (title) line
    first = head[0]
    if not _title_like(scur[first]):
        return
    # a date line under the title dates the document
    below = next((i for i in range(first + 1, n) if keep[i]), None)
    m = DATE_LINE.match(scur[below]) if below is not None else None
    if m:
        out.date = out.date or _date(
            m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2")
        )
        drop(below, "date line")
    s, o = scur[first], cur[first]
    m = DATE_PREFIX.match(s)
    if m:
        date = _date(m.group("y"), m.group("m"), m.group("d"))
        if date:
            out.date = date
            s, o = s[m.end() :], o[m.end() :] if len(o) == len(scur[first]) else o
            report.count("date prefix removed")
    # a column label before the title: "【心得体会】青年干部要在基层一线经风雨见世面"
    m = TITLE_LABEL.match(s)
    if m and len(s) - m.end() >= 6 and len(o) == len(s):
        s, o = s[m.end() :], o[m.end() :]
        report.count("title label removed")
    changed = True
    while changed:
        changed = False
        for kind, rx in TITLE_COUNTERS:
            m = rx.search(s)
            if m:
                if kind == "declared":
                    out.declared = out.declared or int(m.group("n"))
                o = o[: m.start()] if len(o) == len(s) else o
                s = s[: m.start()]
                report.count("title counter removed")
                changed = True
    if out.declared is None:
        m = DECLARED.search(s)
        if m:
            out.declared = cn_number(m.group("n"))
    if o != cur[first]:
        cur[first], scur[first] = strip_line(o), strip_line(s)
        out.title_counter = True


_CLAUSE_MARK = re.compile(r"[。，,：:！!？?]")
_SPACES = re.compile(r"\s+")
_VARIANT_NOISE = re.compile(r"\s+|[（(][^()（）]{0,10}[)）]$")


def _variant_key(s: str) -> str:
    return _VARIANT_NOISE.sub("", s)


def _clean_tail(cur, scur, keep, drop, report: Report) -> None:
    """From the first footer widget after which no real paragraph follows, drop everything.

    Share bars and 相关文章 lists end the article; the lines after them are site furniture
    (newspaper names, 热点新闻, related titles). A widget followed by more paragraphs is not
    a footer (share bars also sit above articles), so only the widget itself goes.
    """
    n = len(cur)

    def last_prose(shortest: int) -> int:
        return next(
            (i for i in range(n - 1, -1, -1) if keep[i] and len(scur[i]) >= shortest and is_prose(scur[i])),
            -1,
        )

    # a hard-wrapped text has no long line: its last line of prose, however short, ends it
    start = last_prose(50)
    if start < 0:
        start = last_prose(10)
    for i in range(start + 1, n):
        s = scur[i].lstrip(">»› ")
        if s and len(s) <= 60 and (FOOTER_WIDGET.match(s) or BRACKET_META.match(s) or _toolbar(s)):
            rest = [j for j in range(i + 1, n) if keep[j]]
            if sum(len(scur[j]) for j in rest) > sum(len(scur[j]) for j in range(i) if keep[j]):
                return  # most of the text follows: the widget sits above the article
            for j in rest:
                drop(j, "page footer")
            if rest:
                report.count("footer zone")
            return


def _unwrap(texts: list[str], report: Report, known_widths: list[int] | None = None) -> list[tuple[int, int]]:
    """Groups of source lines that form one paragraph (§4 of the cleanup research).

    A document is hard-wrapped when at least three consecutive lines share one width W
    (give or take a character) without ending a sentence. Then a line of about W columns
    that does not end a sentence continues on the next line unless that one is a list item.
    Separately, a very long line broken right before its last few characters is rejoined.
    `known_widths`: the lines' widths before cleanup shortened them (pinyin annotations
    removed). A wrap may have been made before the damage or after it, so a line is taken
    as wrapped by either measure.
    """
    n = len(texts)
    # Every width test below is against 34 columns or more, and a line is at most twice as wide
    # as it is long: a line under 17 characters keeps that bound, the others are measured when
    # first needed.
    widths = [2 * len(t) if len(t) < 17 else -1 for t in texts]

    def width(i: int) -> int:
        w = widths[i]
        if w < 0:
            w = widths[i] = display_width(texts[i])
        return w

    measures = [(width, _wrap_width(texts, width))]
    if known_widths:
        measures.append((known_widths.__getitem__, _wrap_width(texts, known_widths.__getitem__)))
    measures = [(w, wrap_w) for w, wrap_w in measures if wrap_w is not None]

    groups: list[tuple[int, int]] = []
    i = 0
    while i < n:
        start = i
        while i + 1 < n:
            cur, nxt = texts[i], texts[i + 1]
            if not cur or not nxt:
                break
            wrapped = not ends_terminal(cur) and any(
                wrap_w - 6 <= w(i) <= wrap_w + 3 for w, wrap_w in measures
            )
            stray = (
                not wrapped
                and width(i) >= 120
                and (_HAN_RE.match(cur[-1]) or cur[-1] in "_、,，")
                and is_prose(nxt)
                and not ends_terminal(cur)
            )
            if not (wrapped or stray) or LIST_ITEM.match(nxt):
                break
            report.count("hard wrap joined")
            i += 1
        groups.append((start, i))
        i += 1
    return groups


def _wrap_width(texts: list[str], width) -> int | None:
    """W, the width the text is wrapped at, or None when it is not hard-wrapped."""
    counts: dict[int, int] = {}
    for i, t in enumerate(texts):
        if len(t) >= 20 and not ends_terminal(t):
            w = width(i)
            if w >= 40:
                counts[w] = counts.get(w, 0) + 1
    if not counts:
        return None
    # W: the width with the most lines in [W - 6, W] (the widest of equals)
    best, best_n = 0, 0
    ws = sorted(counts)
    lo = window = 0
    for w in ws:
        window += counts[w]
        while ws[lo] < w - 6:
            window -= counts[ws[lo]]
            lo += 1
        if window >= best_n:
            best, best_n = w, window
    if best_n < 3:
        return None
    # confirm: a run of three consecutive full lines somewhere
    full = [bool(texts[i]) and best - 6 <= width(i) <= best + 3 for i in range(len(texts))]
    if any(full[i] and full[i + 1] and full[i + 2] for i in range(len(texts) - 2)):
        return best
    return None


def _join_wrapped_title(lines: list[Line], report: Report) -> None:
    """A title broken after a particle: 关于在…学习的 / 研讨发言材料."""
    if len(lines) < 2:
        return
    a, b = lines[0], lines[1]
    if (
        _title_like(a.text)
        and len(a.text) <= 40
        and TITLE_PARTICLE_END.search(a.text)
        and len(b.text) <= 20
        and not re.search(r"[。，,：:！!？?；;、]", b.text)
        and not LIST_ITEM.match(b.text)
    ):
        lines[0] = Line(a.text + b.text, a.start, b.end, a.hint, a.raw + "\n" + b.raw, a.simp + b.simp)
        del lines[1]
        report.count("wrapped title joined")


def _join_open_brackets(lines: list[Line], report: Report) -> None:
    """A short line that opens a bracket closed on the next short line: "(某某研究所" / "助理 林毅)"."""
    i = 0
    while i + 1 < len(lines):
        a, b = lines[i], lines[i + 1]
        if len(a.text) > 40 or ("(" not in a.text and "（" not in a.text):
            i += 1
            continue
        opened = a.text.count("(") + a.text.count("（") - a.text.count(")") - a.text.count("）")
        if (
            opened > 0
            and len(b.text) <= 40
            and b.text.rstrip().endswith((")", "）"))
            and "(" not in b.text
            and "（" not in b.text
        ):
            lines[i] = Line(a.text + b.text, a.start, b.end, a.hint or b.hint, a.raw + b.raw, a.simp + b.simp)
            del lines[i + 1]
            report.count("bracketed line joined")
        i += 1


def _remove_seo_injection(lines: list[Line], report: Report, simplified: bool = False) -> None:
    """A site keyword pasted before the first full stop of most paragraphs (…历久弥新教育培训。).

    Only a phrase that also occurs in a short (title) line is taken as the injected keyword,
    and only when it ends the first sentence of at least three paragraphs and of at least
    40% of the long ones; it is removed only there.
    """
    paras = [i for i, line in enumerate(lines) if len(line.text) >= 30 and "。" in line.text]
    if len(paras) < 3:
        return
    tails: list[tuple[int, str]] = []
    for i in paras:
        text = lines[i].text
        stop = text.index("。")
        m = _HAN_TAIL.search(text[max(0, stop - 8) : stop])
        if m:
            tails.append((i, m.group(0)))
    # a phrase in enough paragraphs has its last three characters in at least as many
    need = max(3, 0.4 * len(paras))
    ends: dict[str, int] = {}
    for _i, tail in tails:
        ends[tail[-3:]] = ends.get(tail[-3:], 0) + 1
    if not any(c >= need for c in ends.values()):
        return
    # the paragraphs themselves are no evidence: a refrain they share is not a keyword
    in_paras = set(paras)
    shorts = [line.text for i, line in enumerate(lines) if len(line.text) <= 40 and i not in in_paras]
    if not simplified:
        shorts = to_simplified("\n".join(shorts)).split("\n")
    if not shorts:
        return
    tally: dict[str, list[int]] = {}
    for i, tail in tails:
        for k in range(3, len(tail) + 1):
            tally.setdefault(tail[-k:], []).append(i)
    best = None
    for phrase, where in tally.items():
        if len(where) >= 3 and len(where) >= 0.4 * len(paras):
            sp = phrase if simplified else to_simplified(phrase)
            if any(sp in s for s in shorts) and (best is None or len(phrase) > len(best)):
                best = phrase
    if best is None:
        return
    for i in tally[best]:
        text = lines[i].text
        a = text.index(best + "。")
        lines[i].text = text[:a] + text[a + len(best) :]
        if len(lines[i].simp) == len(text):
            lines[i].simp = lines[i].simp[:a] + lines[i].simp[a + len(best) :]
        else:
            lines[i].simp = to_simplified(lines[i].text)
        report.count("SEO keyword removed")
