"""The electronic journal and current control (issue 16).

Why the journal is a working table and not a draft document: a teacher writes it class after class
for fifteen weeks, a few cells at a time. As a draft document every save would either rewrite one
large version in place with a hash-chained audit event carrying the whole grid twice, or freeze a
version per class. Instead the journal is working data (records.models.journal) written only through
records.services.journal, each save one audit event with exactly the cells that changed, and nothing
official reads it directly. What counts is registered from it: the rating statements РК1/РК2
(records.kinds.rating_statement) freeze each student's current-control mark, midterm mark, rating
and attendance for a half-semester; the exam statement takes its rating columns from those
registered statements; the load execution report freezes the classes held (classes_held). So the
registry stays the truth: replaying it rebuilds every rating that counts without the journal.

Modules: rating (pure rules: term weeks, halves, ratings, attendance).
"""
