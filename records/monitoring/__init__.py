"""Leadership monitoring (issue 17): the back-office interface at /admin/monitoring/.

Modules: ``views`` (the sections: filters, chart, table with drill-down links, export) and
``report_views`` (the reports list, drafting one, a report's frozen tables), ``area`` (their URLs
and sidebar item), ``charts`` (server-rendered SVG). This package is an interface like records.admin:
it reads through records.selectors.monitoring (the permission-aware indicators) and
records.selectors.reports (the figures the report kinds freeze), and acts through
records.services.monitoring (exports, recorded) and records.services.reports (drafting a report).
"""
