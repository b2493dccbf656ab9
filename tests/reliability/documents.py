"""Documents and a command runner the reliability tests share."""

from io import StringIO

from django.core.management import call_command

from tests.conftest import seed_bytes

PAGE_TWO = seed_bytes("000")  # 2024年在焦裕禄干部学院的学习体会汇编7篇(第2/2页)
# Another document that names the same collection and page, with other essays: a second
# download of another site's compilation, or a parse that took the wrong title.
OTHER_PAGE_TWO = """2024年在焦裕禄干部学院的学习体会汇编7篇(第2/2页)
乡村振兴调研有感
今年夏天，我随调研组走访了三个乡镇的十多个村，看到了产业发展带来的新变化，也听到了群众的新期待。
调研让我认识到，乡村振兴关键在人，要把懂农业、爱农村、爱农民的干部充实到一线去。
基层治理的体会
在社区工作的两年里，我学会了倾听群众的声音，把每一件小事办实办好。
只有把群众的冷暖放在心上，基层治理才能真正落地生根。
""".encode()


def run_import(*args) -> tuple[int, str, str]:
    """`import_essays ARGS`: its exit code, stdout and stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_essays", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_info:
        code = exit_info.code
    return code, out.getvalue(), err.getvalue()
