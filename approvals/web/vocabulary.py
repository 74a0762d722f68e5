"""Messages built with a number in them (a limit, a range), marked for the catalog as they read.

Every other word is marked where it is defined (`N_` from approvals/i18n.py). These are
formatted at their definition (`f"密码至少{MIN_LENGTH}个字符"`), which the extractor cannot
read, so each is listed here with today's number; gettext finds the English as long as the
number is the same. A changed limit shows the new message in Chinese until it is listed.
"""

from approvals.i18n import N_

BUILT_WITH_NUMBERS = [
    N_("用户名最多64个字符，且不含控制字符"),
    N_("姓名最多64个字"),
    N_("企业名称最多128个字"),
    N_("密码至少12个字符"),
    N_("密码最多128个字符"),
    N_("年度应为 2000 至 2999 之间的整数"),
    N_("不能超过64字"),
    N_("开户银行不能超过128字"),
    N_("银行账号应为8至30位数字"),
    N_("补正期限应为 1 至 30 个工作日之间的整数"),
]
