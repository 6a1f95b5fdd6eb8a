"""Training: a readable GPT, the paper's model family by name, a resumable training loop, and HF export."""

from codexlab.training.configs import SHAPES, model_config
from codexlab.training.model import GPT, GPTConfig
from codexlab.training.trainer import TrainConfig, TrainResult, load_trained_model, train

__all__ = ["GPT", "SHAPES", "GPTConfig", "TrainConfig", "TrainResult", "load_trained_model", "model_config", "train"]
