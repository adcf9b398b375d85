"""Projections: domain tables derived from registered documents.

A kind's ``project(document, version)`` hook applies a registered document to the tables and its
``unproject`` hook undoes exactly that on revocation. ``replay.replay`` rebuilds every table from
the registry in registration order (``registered_at``, ``id``), which is what
``manage.py registry replay [--check]`` runs.

Modules: ``base`` (documents in force, replay mode), ``policy`` (the academic policy in force at a
date), ``students`` (orders on students → Student, StudentStatusEvent), ``grades`` (grade statements
→ GradeLine, StudentGpa), ``replay`` (rebuild and compare), ``bulk`` (registered documents in bulk
for demo data).
"""
