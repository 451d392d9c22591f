"""Reports: the measures managers and the DfE ask for (ehc-process.md section 7), the SEN2-ready
export, and the import of a council's spreadsheet tracker.

Why an app of its own rather than part of `cases`: the measures read across every app (cases
now; advice requests for advice timeliness and panels for deferral rates next), and the import
writes through the services of each app it feeds. `cases` is the foundation the other apps
import from; if it imported panels or advice requests back, the layering would run in a
circle. This app sits on top of them all, owns no tables, and only reads through selectors and
writes through the other apps' services.
"""
