"""Leadership monitoring (issue 17): indicators computed from the registry's projections.

Modules: ``selectors`` (the permission-aware indicators: student body, movement, session results,
scholarships, and the rows behind every figure), ``charts`` (server-rendered SVG), ``exports``
(CSV and XLSX of a table), ``views`` (the back office at /admin/monitoring/), ``reports`` (the
figures the report kinds freeze).
"""
