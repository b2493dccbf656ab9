"""Page chrome: whether a whole line is part of the site around the text (breadcrumbs, menus,
widgets, metadata, counters, notices, links, separators, page markers) and why.

Matched on the Simplified, stripped line."""

from __future__ import annotations

import re

from .prose import CLAUSE_MARK, HAN, HAN_RE, is_prose

_SEP = r"(?:>>|>|›|»|＞|→|/)"
# "首页 > 心得体会", and after a label whatever the separator: "您当前的位置：首页 企业文化"
BREADCRUMB = re.compile(
    rf"^(?:(?:您|你)?(?:当前|现在|所在)?的?位置\s*[:：]?\s*(?:网站)?首\s*页|(?:网站)?首\s*页\s*{_SEP})"
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
COUNTER_FIELD = re.compile(r"(?:点击|浏览|阅读|评论|围观|人气|回复|查看|下载|收藏|点赞)\s*[:：]?\s*\d+\s*次?")
PREFACE = re.compile(
    r"(?:小编|本站|本网|编辑为|为你收集|为您收集|为大家收集|为你整理|为您整理|为大家整理|精心整理|精心收集|"
    r"收集了|整理了|搜集了).{0,80}(?:仅供参考|欢迎阅读|欢迎参考|希望对|希望能|收藏|借鉴|供大家|供你|供您)"
)
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
# "志工服務心得 9809 2013-09-20 23:32:32": a post's view count and time stamp after its title
STAMP_TAIL = re.compile(
    r"\s+(?:\d{1,7}\s+)?(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)
# "信息来源：县纪委 发布日期：2022年8月3日 点击数：": two labelled fields make a metadata line
META_FIELD = re.compile(
    r"(?:信息来源|文章来源|来源|出处|稿源|作者|发布日期|发布时间|发表时间|更新时间|录入时间|日期|时间|"
    r"点击数|点击量|点击次数|浏览次数|浏览量|阅读次数|阅读量|访问量|访问次数|字号|字体|责任编辑|编辑|责编|"
    r"审核|校对|供稿|撰稿|通讯员|摄影)\s*[:：]"
)
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
PIPES = re.compile(r"^[|｜\s]+$")

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
    # the rules in order, the first that fires gives the reason
    return _site_furniture(s) or _metadata(s) or _links_and_marks(s)


def _site_furniture(s: str) -> str | None:
    """Breadcrumbs, widgets, menus, document-site metadata, toolbars, notices."""
    n = len(s)
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
    if n <= 60 and TOOLBAR_HINT.search(s) and toolbar(s):
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
    return None


def _metadata(s: str) -> str | None:
    """Article metadata, counters, a site's footer, an editor's preface, copyright."""
    n = len(s)
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
    if s[0] == "本" and SITE_KEYWORDS.match(s):
        return "site keywords"
    if PREFACE.search(s):  # n <= 240 here
        return "editor's preface"
    if n <= 120 and COPYRIGHT.search(s):
        return "copyright"
    if "图" in s and IMAGE_NOTE.match(s):
        return "image credit"
    return None


def _links_and_marks(s: str) -> str | None:
    """Links, separators, page markers, end marks, a note of where the text was published."""
    n = len(s)
    first = s[0]
    space_first = first.isspace()
    url = URL_LINE.search(s)
    if (first == "!" and MARKDOWN_IMAGE.match(s)) or (url and not HAN_RE.search(LINK_TEXT.sub("", s))):
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
    if len(items) < 3 or not all(2 <= len(x) <= 10 and not CLAUSE_MARK.search(x) for x in items):
        return False
    return s.count("|") + s.count("｜") >= 2 or ("首页" in items and len(items) >= 4)


def toolbar(s: str) -> bool:
    pieces = [p for p in TOOLBAR_SPLIT.split(s) if p]
    return bool(pieces) and all(p in TOOLBAR_WORDS for p in pieces)


def _site_footer(s: str) -> bool:
    if SITE_FOOTER_ALONE.match(s):
        return True
    return len({m.group(0).rstrip(":： ") for m in SITE_FOOTER.finditer(s)}) >= 2


def _site_talk(s: str) -> int:
    """How many different site-talk words (本站, 下载, VIP…) the line uses."""
    return len({m.group(0).upper() for m in SITE_TALK.finditer(s)})
