"""sayso: who said what in the news.

>>> import sayso
>>> result = sayso.analyze("The mayor said the bridge would reopen in May.")
>>> nlp = sayso.load()            # the shipped English spaCy pipeline alone
"""

__version__ = "0.1.0"

from sayso.analysis import analyze  # noqa: E402
from sayso.nlp import PipelineNotFound, load  # noqa: E402

__all__ = ["PipelineNotFound", "__version__", "analyze", "load"]
