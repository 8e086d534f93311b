"""Profiles side by side: one scenario replayed under each, every difference explained.

``rows`` aligns the commands by message and explains each row; ``events`` (event names)
and ``data`` (the object argument) hold the sentences; ``words`` names profiles in them.
"""

from .difference import ProfileDifference
from .rows import ComparisonRow, ProfileComparison, compare_profiles

__all__ = ["ProfileDifference", "ComparisonRow", "ProfileComparison", "compare_profiles"]
