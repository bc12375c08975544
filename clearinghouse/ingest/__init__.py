"""Documents in: sniff the type, extract text, metadata, thumbnail, language.

Plain functions with no Django in them, so that they run in the child
processes of ``isolation`` as well as in the web and worker processes:
``sniff.sniff`` and ``sniff.check_size`` at the door, ``extraction.extract``
to read a file, ``isolation.extract_isolated`` and ``isolation.extract_many``
to read files from outside under a time limit and a memory bound.
"""
