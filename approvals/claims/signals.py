"""Signals other features subscribe to, so that claims depend on none of them.

`transitioned` is sent inside advance()'s transaction, after the event is written and
before the notice is issued: a receiver may add rows (ledger, budget) or raise a
DomainError to refuse the move, and everything rolls back together.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the Claim; keyword arguments: event (ClaimEvent), transition (TransitionSpec),
# actor (User), source (the state it left).
transitioned = _signals.signal("claim-transitioned")
