"""How an amount of money (Decimal, 元) is shown: two decimals, thousands separators, 元.

One rule for every page (the ``money`` template filter), export (``MONEY_XLSX_FORMAT``),
dashboard (static/js/charts.js formats ``money`` columns the same way) and docx.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# xlsx: the cell keeps the number; the format shows 82,400.00 元.
MONEY_XLSX_FORMAT = '#,##0.00" 元"'


def money_format(value, *, unit: bool = True) -> str:
    """``Decimal("82400")`` → ``"82,400.00 元"`` (``unit=False``: ``"82,400.00"``).

    Rounds half up to the fen; ``None`` or ``""`` gives ``""``; a value that is not a number is
    returned as text unchanged.
    """
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{amount:,.2f}"
    return f"{text} {_('元')}" if unit else text
