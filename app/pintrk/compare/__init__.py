"""Profiles side by side: one scenario replayed under each, every difference explained.

``rows`` aligns the commands by message and explains each row; ``events`` (event names)
and ``data`` (the object argument) hold the sentences; ``words`` names profiles in them;
``fields`` marks each key of a command's data against the other profiles';
``modes`` puts each profile under each connection mode (the deduplication check per cell).
"""

from .difference import ProfileDifference
from .fields import FieldMark, mark_fields
from .modes import ModeCell, ModeColumn, ModeGrid, compare_modes
from .rows import ComparisonRow, ProfileComparison, compare_profiles

__all__ = [
    "ProfileDifference",
    "ComparisonRow",
    "ProfileComparison",
    "compare_profiles",
    "FieldMark",
    "mark_fields",
    "ModeColumn",
    "ModeCell",
    "ModeGrid",
    "compare_modes",
]
