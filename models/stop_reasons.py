"""Why a run stopped, in words: the sentences TrainingRun.stop_reason carries."""

DIVERGED_MESSAGE = (
    "The loss became {value} at epoch {epoch}, step {step}: training diverged. "
    "The learning rate is probably too high for this optimizer - try a value 10x smaller. "
    "The weights were restored to {good}, the last good ones."
)
# A loss that is not finite on the very first batch comes before any update, so no
# learning rate can be the cause; advising a smaller one would send the student astray.
DIVERGED_AT_START_MESSAGE = (
    "The loss was {value} on the very first batch, before any weight had changed, so the learning rate "
    "is not the cause. Some input or target values are too large (or not numbers) for the network to "
    "compute with: check the data, or bring its values to a smaller scale."
)
EARLY_STOP_MESSAGE = (
    "Validation loss has not improved for {patience} epochs, so training stopped early. "
    "The weights from epoch {epoch} (the best validation loss, {loss:.4g}) were restored."
)
RESTORED_BEST_MESSAGE = "Restored the weights from epoch {epoch}, the best validation loss."
