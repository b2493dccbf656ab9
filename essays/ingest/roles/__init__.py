"""Line roles: each line of a cleaned document gets a role (chrome, title, byline, body …)
from a trained sequence model that weighs the hand rules as evidence.

corpus.py   the annotated documents and their truth -> per-line roles
features.py a line and its neighbours -> features (the rules fire features, not verdicts)
train.py    `python -m essays.ingest.roles.train`: corpus -> model file
check.py    `python -m essays.ingest.roles.check`: validates the corpus
"""
