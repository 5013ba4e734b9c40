"""ci/citations loaded as a module: its section parser, its normalisation and
its citation-block reader are the ones ci/trace uses, so the two tools agree
on what a section's text is and what a citation quotes."""
import importlib.machinery
import importlib.util
import os

CI_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(CI_DIR)


def _load_citations():
    path = os.path.join(CI_DIR, "citations")
    loader = importlib.machinery.SourceFileLoader("touchstone_citations", path)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


citations = _load_citations()
