"""Full-text search over essays, in either script: one tokenizer, one backend per database.

tokens.py and highlight.py are pure Python; backends/ hold the per-database storage and
queries; index.py keeps the index in step with the essays and asks it; query.py turns a
request's parameters into a search.
"""
