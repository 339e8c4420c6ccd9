"""``zhie.initialize_disabled.v1``: initialise the components disabled for training.

``nlp.initialize`` skips disabled components, so rule components switched off while
training (``[zhie.train] dev_disabled``, so the dev score measures the model itself) would
be saved without their seeds. This ``[initialize] after_init`` callback initialises them with
their ``[initialize.components]`` settings.
"""

# No `from __future__ import annotations`: registered functions are validated by pydantic.
from collections.abc import Callable

from spacy.language import Language
from spacy.util import registry


@registry.callbacks("zhie.initialize_disabled.v1")
def create_initialize_disabled() -> Callable[[Language], Language]:
    def initialize_disabled(nlp: Language) -> Language:
        settings = nlp.config.interpolate().get("initialize", {}).get("components", {})
        # Only components configured under [initialize.components] (the rule components, which
        # need no examples); others disabled by a caller such as `spacy pretrain` stay as they are.
        for name in sorted(set(nlp.disabled) & set(settings)):
            proc = nlp.get_pipe(name)
            init = getattr(proc, "initialize", None)
            if init is not None:
                init(lambda: [], nlp=nlp, **dict(settings.get(name, {})))
        return nlp

    return initialize_disabled
