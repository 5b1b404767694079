"""sayso: who said what in the news.

>>> import sayso
>>> nlp = sayso.load()            # the shipped English spaCy pipeline
>>> doc = nlp("Officials said the talks would resume.")
"""

from sayso.nlp import PipelineNotFound, load

__version__ = "0.1.0"

__all__ = ["PipelineNotFound", "__version__", "load"]
