"""Training: a readable GPT, the paper's model family by name, a resumable training loop, and HF export.

Exports are imported on first use: the model and trainer need the `train` extra (torch), the configs do not.
"""

from codexlab.lazy import lazy_exports

_EXPORTS = {
    "SHAPES": "codexlab.training.configs",
    "model_config": "codexlab.training.configs",
    "GPTConfig": "codexlab.training.configs",
    "GPT": "codexlab.training.model",
    "TrainConfig": "codexlab.training.trainer",
    "TrainResult": "codexlab.training.trainer",
    "load_trained_model": "codexlab.training.trainer",
    "train": "codexlab.training.trainer",
}
__getattr__ = lazy_exports(_EXPORTS)
__all__ = sorted(_EXPORTS)
