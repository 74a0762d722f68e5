"""Pro-rata scale-down (按比例核减) to the fen, by the largest-remainder method."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from approvals.money import CENT


@dataclass(frozen=True)
class Share:
    key: int  # the item it belongs to
    original: Decimal
    exact: Decimal  # original × limit ÷ total, unrounded (to 10 places, shown)
    floored: Decimal  # exact rounded down to the fen
    bonus_fen: int  # 0 or 1: a fen of the remainder handed out by largest remainder
    amount: Decimal  # floored + bonus: what is paid


def scale(amounts: dict[int, Decimal], limit: Decimal) -> list[Share]:
    """Scale `amounts` so they sum to exactly `limit` (in fen).

    Each share is rounded down to the fen; the fen left over go one each to the
    shares with the largest dropped fractions, ties to the smaller key, so that the
    result is deterministic and sums to the limit exactly.
    """
    total = sum(amounts.values(), Decimal("0"))
    if limit <= 0 or limit != limit.quantize(CENT):
        raise ValueError("limit must be positive, to the fen")
    if limit >= total:
        raise ValueError("limit is not below the total: nothing to scale")
    exact = {k: v * limit / total for k, v in amounts.items()}
    floored = {k: e.quantize(CENT, rounding=ROUND_FLOOR) for k, e in exact.items()}
    left_fen = int((limit - sum(floored.values(), Decimal("0"))) / CENT)
    order = sorted(amounts, key=lambda k: (-(exact[k] - floored[k]), k))
    bonus = {k: (1 if i < left_fen else 0) for i, k in enumerate(order)}
    return [
        Share(
            key=k,
            original=amounts[k],
            exact=exact[k].quantize(Decimal("0.0000000001")),
            floored=floored[k],
            bonus_fen=bonus[k],
            amount=floored[k] + bonus[k] * CENT,
        )
        for k in sorted(amounts)
    ]
