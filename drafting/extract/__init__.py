"""One extractor per kind of fact, each reading the neutral document model.

Every extractor returns plain dictionaries in the protocol schema's shape, each fact with a
``source`` built by :func:`drafting.extract.common.cite`, so nothing here depends on how the
draft is finally written.
"""
