"""Names and units: the vocabulary bylines are read with.

A person's name is a known surname (data/surnames.txt) and one or two given-name characters; a
unit ends in a word units end in (局, 学院, 国小, 支部…); a post (主任, 教师, 志工…) is said after
either and is left out of the unit, as is a pupil's class or year after the school. Works on
Simplified text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .prose import HAN

DATA = Path(__file__).parent / "data"

# what a unit's name ends with
ORG_END = re.compile(
    r"(?:部|委|局|院|校|(?<![场厕住])所|(?<![好到之难益])处|科|室|(?<!家)庭|队|站|中心|公司|办|厅|组|团|馆|"
    r"协会|学会|商会|工会|联合会|理事会|基金会|研究会|促进会|报社|合作社|旅行社|(?<![城都])市|"
    r"街道|社区|镇|(?<![家故])乡|村|县|区|省|"
    r"集团|银行|支部|支行|分行|学院|大学|中学|小学|医院|法院|检察院|派出所|办公室|分局|协会|工会|妇联|团委|"
    r"幼儿园|厂|矿|司|署|台|报社|杂志社|出版社|基地|车间|党委|党组|纪委|监委|政府|人大|政协|委员会|管委会|"
    r"办事处|居委会|村委会|海关|班|国小|国中|华小|华校|高中|初中|专业|(?<![关体联派维])系|年级)$"
)
# a post, said after a name or a unit
JOB_END = re.compile(
    r"(?:专任|兼任|特聘|客座|资深|首席)?副?(?:(?:主任|书记|局长|科长|处长|部长|院长|庭长|校长|主席|所长|站长|队长|经理|馆长|会长|秘书长|行长|"
    r"镇长|乡长|县长|市长|区长|村长|组长|社长|总编|总监|主任科员|审判长|检察长|护士长)|干事|干部|员额法官|法官助理|法官|"
    r"检察官|警官|民警|辅警|教师|老师|记者|通讯员|学员|专员|委员|常委|科员|办事员|审判员|书记员|助理|职员|党员|同志|"
    r"教授|讲师|研究员|工程师|医生|护士|学生|辅导员|班主任|志愿者|会计|律师|先生|女士|会员|成员|理事|监事|顾问|秘书|"
    r"队员|团员|组员|社员|义工|志工|同工|导师|[研博][一二三四]生|大[一二三四]生|研究生|博士生)$"
)
# a name's end that is a word: an address, a date, a genre word ("官体验" is no 官 family's child)
NAME_BAD_END = re.compile(
    r"(?:老师|同志|先生|女士|书记|主任|局长|同学|师傅|大姐|大哥|周年|年|月|日|"
    r"心得|体会|体验|感想|感悟|总结|报告|学习|工作|活动|实践|培训)$"
)
GRADE = re.compile(r"^[高初大研][一二三四]$")  # "高一": a school year, not 高 + 一
ANON = "X×xＸ＿_某"


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    single, compound = set(), set()
    for line in (DATA / "surnames.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        (single if len(line) == 1 else compound).add(line)
    return frozenset(single), frozenset(compound)


_NAME_CHARS = re.compile(f"[{HAN}{ANON}]{{2,4}}")


def is_name(s: str) -> bool:
    """A personal name (Simplified): a known surname and one or two given-name characters."""
    if not 2 <= len(s) <= 4 or not _NAME_CHARS.fullmatch(s) or NAME_BAD_END.search(s) or GRADE.match(s):
        return False
    single, compound = surnames()
    if len(s) >= 3 and s[:2] in compound:
        return True
    return len(s) <= 3 and s[0] in single


def strip_job(s: str) -> str:
    for _ in range(3):
        m = JOB_END.search(s) or _QUOTED_POST.search(s)
        if not m or m.start() == 0:
            break
        s = s[: m.start()].rstrip(" ·、")
    return s


# a post in quotation marks: "某某村“第一书记”"
_QUOTED_POST = re.compile(r"[“\"][^“”\"]{1,8}[”\"]$")


# a student's year and subject: "18会计", "2018级护理"
COHORT = re.compile(rf"(?:\d{{2}}|\d{{4}}\s*[级届])[{HAN}]{{2,4}}")
# a party member's standing signed after the name: "王明 中共党员"
STANDING = re.compile(r"(?:中共|中国共产党)?(?:预备)?党员|共青团员|团员|群众")


def unit_like(s: str) -> bool:
    """A unit's name, perhaps with a post after it, or a student's year and subject."""
    return bool(ORG_END.search(strip_job(s)) or COHORT.fullmatch(s))


# a pupil's class or year: "六一班", "2022届1班", "三年七班", "四年级", "2009级一班", "5C"
_CLASS = (
    r"(?:(?:\d{4}\s*届\s*\d{1,2}|[一二三四五六七八九十\d]+\s*年级?\s*[一二三四五六七八九十\d]+|"
    r"[一二三四五六七八九]\s*[（(]?\s*[一二三四五六七八九十\d]{1,2}\s*[)）]?|"
    rf"[一二三四五六]\s*年\s*[{HAN}])\s*班(?:\s*\d{{1,2}}\s*号)?|"  # "六年孝班": a class named by a virtue
    r"\d{2,4}\s*[级届]\s*[A-Za-z\d一二三四五六七八九十]*\s*班?|[一二三四五六七八九十\d]{1,2}\s*年级|"
    r"[A-Za-z]?\d[A-Za-z])"
)
CLASS_ALONE = re.compile(_CLASS)
# a pupil's class (or year) after the school's name: "…小学六一班", "…学校2022届1班", "…国中三年七班"
CLASS_AFTER_SCHOOL = re.compile(
    r"(?:学校|小学|中学|国小|国中|华小|华校|高中|初中|学院|大学|[校园系])\s*(?P<c>" + _CLASS + r")$"
)


def unit_of(orig: str, simp: str) -> str:
    """A unit as a byline names it, without the signer's post ("…国小教师") or a pupil's class
    after the school ("…小学六一班"): what the unit itself is called."""
    for _ in range(2):
        cut = strip_job(simp)
        m = CLASS_AFTER_SCHOOL.search(cut)
        if m:
            cut = cut[: m.start("c")].rstrip()
        if cut == simp:
            break
        orig = orig[: len(cut)] if len(orig) == len(simp) else cut
        simp = cut
    return orig


def post_only(s: str) -> bool:
    """ "通讯员", "助理研究员": a post, naming no unit."""
    m = JOB_END.search(strip_job(s))
    return m is not None and m.start() == 0


COHORT_LEAD = re.compile(r"\d{2,4}\s*[级届]")


CLASS_CODE = re.compile(r"(?:[A-Za-z]{1,2}\.?)?\d{1,4}[A-Za-z]?\.?")
