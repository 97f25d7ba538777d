"""What a ribbon can lay: the virtual printer refuses a panel its ribbon has no panel for.

Ribbon types and their panels per side are ``drivers.evolis.commands.RIBBONS``. The replies
are *unconfirmed* wording, as the other replies (``drivers.evolis.replies``): ``ERROR RIBBON``
for what the fitted ribbon cannot do (the operator fits another), ``ERROR PARAMETRES`` for a
panel the job's own ribbon setting (``Pr``) does not have (a job that contradicts itself).
"""

from __future__ import annotations

from drivers.evolis import commands as cmd
from drivers.evolis.decoder import ERROR_PARAMETERS

WRONG_RIBBON = "ERROR RIBBON"


def refusal(fitted: str, selected: str | None, side: str, panel: str) -> str | None:
    """The reply to downloading ``panel`` for the ``side`` ("front", "back") of a card, or
    None when the ribbon can lay it. ``selected``: the job's ``Pr`` (None: the fitted one)."""
    index = 0 if side == "front" else 1
    if panel not in cmd.RIBBONS[fitted][index]:
        return WRONG_RIBBON
    if panel not in cmd.RIBBONS[selected or fitted][index]:
        return ERROR_PARAMETERS
    return None


def fits(fitted: str, selected: str) -> bool:
    """``Pr``: the fitted ribbon has every panel the selected ribbon type lays, on each side."""
    return all(
        set(wanted) <= set(has)
        for wanted, has in zip(cmd.RIBBONS[selected], cmd.RIBBONS[fitted], strict=True)
    )
