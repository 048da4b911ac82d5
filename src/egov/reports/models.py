"""Models of the reports app, one module per report family (the lead merges the imports)."""

from egov.reports.targets_models import (
    Comparison,
    Measure,
    Plan,
    PlanTarget,
    PlanTargetEntry,
)

__all__ = ["Comparison", "Measure", "Plan", "PlanTarget", "PlanTargetEntry"]
