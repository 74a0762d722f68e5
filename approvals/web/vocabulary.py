"""Domain words and service messages the interface shows, marked for the translation catalog.

They are written in Chinese elsewhere (models, services, notices); the pages pass them
through gettext, so marking them here is all English needs.
"""


def N_(text: str) -> str:  # noqa: N802 — the conventional name for "mark, do not translate"
    return text


ROLES = [N_("申报企业"), N_("职能部门初审"), N_("财政复核"), N_("市政府审定"), N_("系统管理员")]
FUNDING_TYPES = [N_("无偿资助"), N_("贷款贴息"), N_("奖励"), N_("税收分成")]
EVIDENCE_KINDS = [
    N_("营业执照"),
    N_("财务审计报告"),
    N_("项目方案"),
    N_("贷款合同"),
    N_("付息凭证"),
    N_("认定证书"),
    N_("投资证明"),
    N_("完税证明"),
    N_("其他材料"),
]
NOTICE_KINDS = [
    N_("受理回执"),
    N_("撤回确认书"),
    N_("补正通知书"),
    N_("认定表"),
    N_("不予支持通知书"),
    N_("复核意见书"),
    N_("退回意见书"),
    N_("审定意见书"),
    N_("拨付通知书"),
]
MESSAGES = [
    N_("申报不存在或无权查看"),
    N_("通知书不存在或无权查看"),
    N_("材料不存在"),
    N_("他人已先处理了该申报，请刷新后查看"),
    N_("申报已被修改，请刷新后重试"),
    N_("只有草稿或待补正的申报可以修改"),
    N_("只有申报企业可以修改申报"),
    N_("只能操作本企业的申报"),
    N_("该申报不属于本部门初审"),
    N_("请填写项目名称"),
    N_("请选择有效的政策条款"),
    N_("请选择材料类别"),
    N_("请选择要上传的文件"),
    N_("文件内容不是 PDF、JPEG 或 PNG，请上传这三种格式之一"),
    N_("请填写意见或理由"),
    N_("请填写金额"),
    N_("金额格式不正确，应为数字，如 120000.00"),
    N_("金额最多保留两位小数（精确到分）"),
    N_("金额必须大于0"),
    N_("金额过大"),
    N_("请填写拨付凭证号"),
    N_("请填写用户名"),
    N_("用户名已被使用"),
    N_("密码至少8位"),
    N_("请填写企业名称"),
    N_("该企业已注册，请联系本企业已有用户邀请您加入"),
    N_("统一社会信用代码应为18位"),
    N_("只有企业用户可以邀请本企业同事"),
]
