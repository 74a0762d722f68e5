"""Amount rules as data: the inputs a claim needs and the maximum they allow, written out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from approvals.i18n import N_
from approvals.money import CENT, amount_error, number_text

RULE_TYPES = {
    "fixed": N_("定额奖励"),
    "percentage": N_("按比例资助"),
    "loan_interest": N_("贷款贴息"),
}
MAX_MONTHS = 120
_WHOLE = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True)
class InputField:
    name: str
    label: str  # Chinese label shown on the claim form
    kind: str  # "amount" (yuan), "percent" (e.g. 4.35 for 4.35%), "months"
    help: str = ""


@dataclass(frozen=True)
class Computation:
    maximum: Decimal  # to the fen, after the cap
    text: str  # the computation written out, e.g. "本金 … × 年利率 … = 10,875.00 元"


_FIELDS = {
    "fixed": (),
    "percentage": (InputField("base", "符合条件的投资额（元）", "amount", "经审计的项目投资额"),),
    "loan_interest": (
        InputField("principal", "贷款本金（元）", "amount", "贷款合同载明的本金"),
        InputField("annual_rate", "年利率（%）", "percent", "如 4.35 表示 4.35%"),
        InputField("months", "贴息月数", "months", f"1 至 {MAX_MONTHS} 个月"),
    ),
}


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def percent(rate: Decimal) -> str:
    """0.5 → 50%, 0.0435 → 4.35%: the rate as people write it, without trailing zeros."""
    text = f"{(rate * 100).normalize():f}"
    return f"{text}%"


def round_fen(value: Decimal) -> Decimal:
    """Round to the fen, half up: the rule stated in every computation we show."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(raw, key: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"amount rule: '{key}' is not a number: {raw!r}") from exc
    if not value.is_finite() or value <= 0:
        raise ValueError(f"amount rule: '{key}' must be positive: {raw!r}")
    return value


# The keys each type of rule needs, and those it may have.
_NEEDED = {"fixed": ("amount",), "percentage": ("rate",), "loan_interest": ("share",)}
_KEY_LABELS = {"amount": "定额", "rate": "资助比例", "share": "贴息比例", "cap": "规则上限"}


def rule_problems(rule: dict | None) -> dict[str, str]:
    """What is wrong with a rule, key by key, in Chinese; empty when it can be computed."""
    if rule is None:
        return {}
    kind = rule.get("type")
    if kind not in RULE_TYPES:
        return {"type": "金额规则类型应为 " + "、".join(RULE_TYPES)}
    problems = {}
    allowed = {"type", "cap", *_NEEDED[kind]}
    for key in sorted(set(rule) - allowed):
        problems[key] = f"该类型的金额规则没有“{key}”一项"
    for key in (*_NEEDED[kind], "cap"):
        if key == "cap" and rule.get("cap") is None:
            continue
        if key in ("amount", "cap"):  # yuan, to the fen, as every amount
            problem = amount_error(rule.get(key))[1]
            if problem:
                problems[key] = f"{_KEY_LABELS[key]}：{problem}"
            continue
        text = number_text(rule.get(key)) or ""
        try:
            value = _decimal(text, key) if len(text) <= 12 else None
        except ValueError:
            value = None
        if value is None or value > 1:
            problems[key] = f"{_KEY_LABELS[key]}是 0 至 1 之间的比例（如 0.5 即 50%），最多六位小数"
        elif -value.as_tuple().exponent > 6:
            problems[key] = f"{_KEY_LABELS[key]}最多六位小数"
    return problems


def check_rule(rule: dict | None) -> None:
    """Refuse a rule that could not be computed (used by seeding and the admin)."""
    problems = rule_problems(rule)
    if problems:
        raise ValueError("amount rule: " + "; ".join(f"{k}: {v}" for k, v in problems.items()))


def input_fields(rule: dict | None) -> tuple[InputField, ...]:
    """The inputs the claim form asks for under this rule (none for a fixed award)."""
    return _FIELDS[rule["type"]] if rule else ()


def describe(rule: dict | None) -> str:
    """The rule in one Chinese sentence, for policy pages."""
    if not rule:
        return "按申报金额核定，不超过政策上限"
    cap = f"，最高 {yuan(_decimal(rule['cap'], 'cap'))} 元" if rule.get("cap") else ""
    if rule["type"] == "fixed":
        return f"定额奖励 {yuan(_decimal(rule['amount'], 'amount'))} 元"
    if rule["type"] == "percentage":
        return f"按符合条件投资额的 {percent(_decimal(rule['rate'], 'rate'))} 资助{cap}"
    share = percent(_decimal(rule["share"], "share"))
    return f"贴息 = 本金 × 年利率 × 贴息比例 {share} × 月数 ÷ 12{cap}"


def validate_inputs(rule: dict | None, raw) -> tuple[dict | None, dict]:
    """Return (clean inputs as strings, field errors) for the rule's inputs."""
    fields = input_fields(rule)
    if not fields:
        return None, {}
    raw = raw if isinstance(raw, dict) else {}
    clean, errors = {}, {}
    for field in fields:
        value = raw.get(field.name)
        if field.kind == "amount":
            amount, problem = amount_error(value)
            if problem:
                errors[field.name] = f"{field.label}：{problem}"
            else:
                clean[field.name] = f"{amount:f}"
        elif field.kind == "percent":
            # Read from the text (number_text): Decimal("１２") and Decimal("1" * 40) pass or
            # raise in ways a check by arithmetic does not see.
            text = number_text(value) or ""
            places = text.partition(".")[2].rstrip("0")
            rate = Decimal(text) if text and len(places) <= 4 else None
            if rate is not None and 0 < rate <= 100:
                clean[field.name] = f"{rate.normalize():f}"
            else:
                errors[field.name] = f"{field.label}：应为 0 至 100 之间的数，最多四位小数"
        else:
            # str.isdigit() accepts "²" and "٣", which int() then refuses: ASCII digits only.
            text = number_text(value) or ""
            if _WHOLE.fullmatch(text) and 1 <= int(text) <= MAX_MONTHS:
                clean[field.name] = str(int(text))
            else:
                errors[field.name] = f"{field.label}：应为 1 至 {MAX_MONTHS} 的整数"
    return (None if errors else clean), errors


def compute(rule: dict | None, inputs: dict | None, policy_cap: Decimal) -> Computation:
    """The maximum a claim may be approved for, with the computation written out.

    The product is computed exactly and rounded once, to the fen, half up; then the
    rule's cap and the policy's cap apply, whichever is lower.
    """
    caps = [policy_cap] + ([_decimal(rule["cap"], "cap")] if rule and rule.get("cap") else [])
    cap = min(caps)
    if not rule:
        return Computation(cap, f"政策上限 {yuan(cap)} 元")
    if rule["type"] == "fixed":
        exact = _decimal(rule["amount"], "amount")
        steps = f"定额 {yuan(exact)} 元"
    elif rule["type"] == "percentage":
        base, rate = Decimal(inputs["base"]), _decimal(rule["rate"], "rate")
        exact = base * rate
        steps = f"投资额 {yuan(base)} × 资助比例 {percent(rate)}"
    else:
        principal = Decimal(inputs["principal"])
        annual = Decimal(inputs["annual_rate"]) / 100
        share, months = _decimal(rule["share"], "share"), int(inputs["months"])
        exact = principal * annual * share * months / 12
        steps = (
            f"本金 {yuan(principal)} × 年利率 {percent(annual)} × 贴息比例 {percent(share)}"
            f" × {months}/12"
        )
    computed = round_fen(exact)
    text = f"{steps} = {yuan(computed)} 元"
    if exact != computed:
        text += "（四舍五入到分）"
    if computed > cap:
        text += f"，超过上限，按上限 {yuan(cap)} 元"
        computed = cap
    return Computation(computed, text)


def maximum_for(claim) -> Computation:
    """The claim's rule maximum, from the terms it was filed under and its recorded inputs."""
    policy = claim.terms
    if input_fields(policy.amount_rule) and not claim.amount_inputs:
        return Computation(policy.cap, f"政策上限 {yuan(policy.cap)} 元（未填写计算依据）")
    return compute(policy.amount_rule, claim.amount_inputs, policy.cap)
