"""Download the trained model, or upload one back, with clear messages for bad files.

Two kinds of file come back in:
- NN Lab's own (.pth with weights + JSON): the lab's sidebar is set to the settings that
  made it, its data controls too (features, split, training examples, the XOR cloud, the RNN
  task; ui.experiment_settings.queue_settings), and the model waits in the LabSession until
  the next run has built that data (adopt_pending): an Iris model of two features loads
  although the sidebar had four.
- A plain state_dict, as the slides save it with
  `torch.save(model.state_dict(), path)`: it has no architecture, so its
  tensors are fitted by order and shape into the network the sidebar
  describes right now (models.load_model_file with `model_config`).

Either way the loaded model becomes the lab's run. What the message says is
measured, not hoped: it claims restored settings only when the sidebar shows
them, and names each setting of the file that the sidebar does not show.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import streamlit as st

from data import Dataset
from data.errors import CodedError
from lessons.registry import Lab, lab_with_key
from models import (
    ModelConfig,
    ModelFileError,
    TrainConfig,
    check_compatible,
    load_model_file,
    model_to_bytes,
)
from models.builders import Network
from models.flags import FLAGS, format_value, settings_of
from models.loaded_run import loaded_run
from models.persistence import PLAIN_FORMAT, check_same_table
from models.recurrent import RECURRENT_KINDS, check_recurrent
from ui.compare.runs import keep_replaced
from ui.controls import ACTIVATION_LABELS
from ui.experiment_settings import clear_problems, lab_choices, lab_flags, queue_settings
from ui.language import error_text, t
from ui.lazy_expander import lazy_expander
from ui.model_file_settings import (
    file_data,
    page_settings,
    rebuildable,
    restorable_settings,
    same_value,
)
from ui.state import LabSession
from ui.uploader import file_uploader

MAX_MODEL_MB = 50  # the browser refuses bigger; our largest (784-500-500-10) is ~3 MB
MAX_MODEL_BYTES = MAX_MODEL_MB * 1024 * 1024  # Streamlit's upload limits count MB as 2**20 bytes
# What the success message adds for how much of the file the sidebar shows (UploadOutcome.shown).
SHOWN_TEXT = {"all": "restored", "some": "restored_partly", "none": "kept_sidebar"}
# Settings never compared: the machine a run trained on, and epochs ("Train more" extends them).
NOT_COMPARED = ("device", "epochs")


@dataclass(frozen=True)
class Uploaded:
    """What an upload loaded: the model's architecture and training settings, and the file's kind."""

    model_config: ModelConfig
    train_config: TrainConfig
    plain: bool
    """A plain state_dict fitted into the sidebar's network (else NN Lab's own file)."""
    reordered: bool = False
    """The plain file's layers were defined in another order and were paired by shape."""


@dataclass(frozen=True)
class PendingUpload:
    """A read file waiting for the lab's next run, whose sidebar then shows its settings."""

    model: Network
    meta: dict
    train_config: TrainConfig
    """The sidebar's when the file was chosen (a plain state_dict records none)."""
    rebuild: bool
    """The file's data settings were queued too: its model is checked against the next run's data."""
    before: dict
    """The sidebar's settings when the file was chosen, put back if the file can't be used."""


@dataclass(frozen=True)
class UploadOutcome:
    """What an adopted upload left on the page, for its message."""

    upload: Uploaded
    shown: str = "all"
    """"all": the sidebar shows the file's settings; "some": it changed to some; "none": it did not."""
    differ: tuple[str, ...] = ()
    """ "lr=0.1", …: the file's settings the sidebar does not show, in FLAGS order."""
    data_kept: bool = False
    """The file's data can't be rebuilt here (a CSV of its own): the lab's current data is used."""


def check_lab_kind(lab: Lab | None, kind: str) -> None:
    """Raise ModelFileError if `lab` trains fewer kinds of network than the CLI, and not `kind`.

    The RNN lab took an MLP file made by `models.train` on its own task, and its views failed.
    """
    choices = lab_choices(lab).get("model") if lab is not None else None
    if choices and kind not in choices:
        names = "/".join(c.upper() for c in choices)  # the same in both languages
        raise ModelFileError(
            "model_kind_not_in_lab",
            f"This lab trains {names} networks only; this file holds a {kind.upper()} network.",
            kind=kind.upper(),
            choices=names,
        )


def too_big(size: int) -> ModelFileError:
    """The error for a model file over MAX_MODEL_MB (coded like the errors of models/)."""
    message = f"This file is {size / 1e6:.0f} MB; NN Lab models are at most {MAX_MODEL_MB} MB."
    return ModelFileError("model_file_too_big", message, mb=size / 1e6, limit=MAX_MODEL_MB)


def architecture_text(config: ModelConfig) -> str:
    """A network as the slides draw it: "784-128-10 ReLU", or "CNN 16-32, 64-10 ReLU".

    A recurrent one as the RNN lab's sidebar sets it: "LSTM, hidden state size 32, recurrent
    layers 2" (its input is a sequence, not a layer of inputs, and its cells have their own
    activations).
    """
    if config.kind in RECURRENT_KINDS:  # a network that was built, so check_recurrent holds
        _, size, layers = check_recurrent(config)
        return t(
            "common.files.recurrent_network", kind=config.kind.upper(), hidden=size, layers=layers
        )
    activation = ACTIVATION_LABELS.get(config.activation, config.activation)
    dense = "-".join(str(n) for n in (*config.hidden, config.n_outputs))
    if config.kind == "cnn":
        convs = "-".join(str(c) for c in config.conv_channels)
        return f"CNN {convs}, {dense} {activation}"
    return f"{math.prod(config.input_shape)}-{dense} {activation}"


def loaded_message(config: ModelConfig) -> str:
    """ "Loaded a model: MLP, hidden layer sizes 5, ReLU." in the session's language."""
    if config.kind in RECURRENT_KINDS:  # named as the RNN lab's sidebar names them
        return t("common.files.loaded_recurrent", network=architecture_text(config))
    hidden = "-".join(str(h) for h in config.hidden)
    return t(
        "common.files.loaded",
        kind=config.kind.upper(),
        hidden=hidden or t("common.files.no_hidden"),
        activation=ACTIVATION_LABELS.get(config.activation, config.activation),
    )


def uploaded_message(upload: Uploaded, restored: bool = True) -> str:
    """The sentence for a successful upload, in the session's language.

    `restored`: the sidebar shows an NN Lab file's settings (see outcome_message).
    """
    if upload.plain:
        text = t("common.files.loaded_state_dict", network=architecture_text(upload.model_config))
        return text + (t("common.files.reordered") if upload.reordered else "")
    return loaded_message(upload.model_config) + (t("common.files.restored") if restored else "")


def outcome_message(outcome: UploadOutcome) -> str:
    """The success sentence for an adopted upload: only what the sidebar really shows is claimed."""
    if outcome.upload.plain:
        return uploaded_message(outcome.upload)
    text = loaded_message(outcome.upload.model_config) + t(
        f"common.files.{SHOWN_TEXT[outcome.shown]}"
    )
    return text + (t("common.files.data_kept") if outcome.data_kept else "")


def _start_loaded(
    session: LabSession, dataset: Dataset, model: Network, meta: dict, train_config: TrainConfig
) -> Uploaded:
    """Make a checked, loaded model the lab's run (finished, with the file's history)."""
    run = loaded_run(dataset, model, meta, train_config)
    keep_replaced(session)  # the run it replaces stays in the comparison (ui/compare/)
    session.live.start(run, running=False)
    session.signature, session.uploaded = None, True
    plain = meta.get("format") == PLAIN_FORMAT
    reordered = bool(plain and meta["extra"].get("reordered"))
    tc = run.train_config  # its epochs are the file's recorded ones: the sidebar's if none
    tc = tc if tc.epochs > 0 else dataclasses.replace(tc, epochs=train_config.epochs)
    return Uploaded(model.config, tc, plain, reordered)


def adopt_file(
    session: LabSession,
    dataset: Dataset,
    data: bytes,
    train_config: TrainConfig,
    model_config: ModelConfig | None = None,
) -> Uploaded:
    """Load model bytes into the lab's session as a finished run on `dataset`; returns what was loaded.

    `model_config` (the sidebar's network) is where a plain state_dict's
    tensors go; NN Lab's own files bring their own. Raises ModelFileError
    (worded by ui.language.error_text) if the file can't be used here; the
    current run is then unchanged. The sidebar is not touched (the page's
    uploader goes through read_upload and adopt_pending instead).
    """
    if len(data) > MAX_MODEL_BYTES:
        raise too_big(len(data))
    model, meta = load_model_file(data, model_config=model_config)
    check_compatible(model, dataset)
    return _start_loaded(session, dataset, model, meta, train_config)


def adopt_uploaded(
    session: LabSession,
    dataset: Dataset,
    data: bytes,
    train_config: TrainConfig,
    model_config: ModelConfig | None = None,
) -> str:
    """adopt_file, returning the status message instead (the sidebar is not touched)."""
    upload = adopt_file(session, dataset, data, train_config, model_config)
    return uploaded_message(upload, restored=False)


def _file_train_config(meta: dict, train_config: TrainConfig) -> TrainConfig:
    """The file's training settings, with its recorded epochs (the sidebar's if it records none)."""
    tc = TrainConfig.from_dict(meta["train_config"]) if meta.get("train_config") else train_config
    epochs = len((meta.get("history") or {}).get("epochs") or []) or train_config.epochs
    return dataclasses.replace(tc, epochs=epochs)


def read_upload(
    session: LabSession,
    dataset: Dataset,
    data: bytes,
    model_config: ModelConfig,
    train_config: TrainConfig,
) -> PendingUpload:
    """Read an uploaded file, queue its settings for the sidebar, and return it to adopt next run.

    Raises ModelFileError (nothing changed) for a bad file, or one that doesn't fit data it can't rebuild.
    """
    if len(data) > MAX_MODEL_BYTES:
        raise too_big(len(data))
    model, meta = load_model_file(data, model_config=model_config)
    lab = lab_with_key(session.key)
    check_lab_kind(lab, model.config.kind)
    plain = meta.get("format") == PLAIN_FORMAT
    rebuild = not plain and rebuildable(lab, meta.get("dataset"))
    if not rebuild:  # refused before the sidebar is touched
        check_compatible(model, dataset)
        check_same_table(meta.get("dataset"), dataset)  # a table's file: the same columns
    before = page_settings(lab, model_config, train_config, dataset)
    before = {k: v for k, v in before.items() if lab is None or k in lab_flags(lab)}
    if not plain:
        tc = _file_train_config(meta, train_config)
        described = meta.get("dataset") if rebuild else None
        queue_settings(session.key, restorable_settings(session.key, model.config, tc, described))
    return PendingUpload(model, meta, train_config, rebuild, before)


def _outcome(
    session: LabSession, pending: PendingUpload, upload: Uploaded, now: dict, matched: bool
) -> UploadOutcome:
    """How much of the file the sidebar shows, measured on the settings the page made (`now`)."""
    lab = lab_with_key(session.key)
    if upload.plain or lab is None:
        return UploadOutcome(upload)
    file = settings_of(upload.model_config, upload.train_config)
    described = pending.meta.get("dataset")
    if pending.rebuild:
        file.update(file_data(lab, described))
    differ = tuple(
        f"{n}={format_value(n, file[n])}"
        for n in FLAGS
        if n in file and n not in NOT_COMPARED and not same_value(file[n], now.get(n))
    )
    restored = [
        n
        for n in lab_flags(lab)
        if n in file
        and same_value(file[n], now.get(n))
        and not same_value(now.get(n), pending.before.get(n))
    ]
    shown = "all" if matched and not differ else "some" if restored else "none"
    return UploadOutcome(upload, shown, differ, bool(described) and not pending.rebuild)


def adopt_pending(
    session: LabSession,
    dataset: Dataset,
    signature: tuple,
    model_config: ModelConfig,
    train_config: TrainConfig,
) -> None:
    """In the run after an upload, with the data its restored sidebar built: make it the lab's run.

    Call before the Train row decides whether the settings changed. If the
    sidebar now shows the loaded run's settings, the run is theirs (no
    "settings changed"). If the model does not fit this data, the sidebar goes
    back to what it was and the error is shown; the current run stays.
    """
    pending = session.pending_upload
    if pending is None:
        return
    session.pending_upload = None
    try:
        check_compatible(pending.model, dataset)
        upload = _start_loaded(session, dataset, pending.model, pending.meta, pending.train_config)
    except CodedError as exc:  # the current run stays, and the sidebar goes back to it
        session.upload_message = ("error", exc)
        if pending.meta.get("format") != PLAIN_FORMAT:
            queue_settings(session.key, pending.before)
            st.rerun()
        return
    matched = model_config == upload.model_config and dataclasses.replace(
        train_config, epochs=0
    ) == dataclasses.replace(upload.train_config, epochs=0)
    now = page_settings(lab_with_key(session.key), model_config, train_config, dataset)
    outcome = _outcome(session, pending, upload, now, matched)
    if matched and not outcome.differ:
        session.signature = signature
    session.upload_message = ("ok", outcome)
    st.rerun()  # what the page drew above the panel (MNIST's model choice) now sees the upload


def _upload_status(session: LabSession) -> None:
    # Kept as what happened, not as a sentence, so it shows in the language of the moment.
    kind, what = session.upload_message or (None, None)
    if kind == "ok":
        st.success(outcome_message(what))
        if what.differ:
            st.warning(t("common.files.not_restored", settings=", ".join(what.differ)))
    elif kind == "error":
        st.error(t("common.files.failed", reason=error_text(what)))


def model_files_ui(
    session: LabSession, dataset: Dataset, model_config: ModelConfig, train_config: TrainConfig
) -> None:
    """Download for the session's model (even paused in epoch 1, or a loaded state_dict); an upload.

    An upload restores the sidebar to the file's settings (NN Lab's own file),
    or fits a plain state_dict into `model_config`, the sidebar's network; the
    next run adopts it (adopt_pending).
    """
    key, live = session.key, session.live
    with lazy_expander(t("common.files.title"), key=f"{key}_files_open") as is_open:
        if not is_open:  # closed: no model serialized and no uploader sent (ui.lazy_expander)
            return
        data = None
        if not live.running:
            with live.borrow() as run:
                if run is not None and (run.epoch > 0 or run.step > 0 or session.uploaded):
                    data = model_to_bytes(
                        run.model,
                        train_config=run.train_config,
                        dataset=dataset,
                        history=run.history,
                    )
        if data is not None:
            st.download_button(
                t("common.files.download"),
                data,
                file_name=f"nnlab_{key}.pth",
                mime="application/octet-stream",
                key=f"{key}_download",
            )
        else:
            st.caption(t("common.files.train_first"))
        upload = file_uploader(
            t("common.files.upload"),
            types=["pth", "pt"],
            key=f"{key}_upload",
            help=t("common.files.upload_help", network=architecture_text(model_config)),
            max_mb=MAX_MODEL_MB,
        )
        if upload is not None and session.upload_id != upload.file_id:
            session.upload_id = upload.file_id
            clear_problems(session.key)  # the last file's unusable settings are not this one's
            try:
                session.pending_upload = read_upload(
                    session, dataset, upload.getvalue(), model_config, train_config
                )
                session.upload_message = None
            except CodedError as exc:  # ModelFileError, or a sidebar network that can't be built
                session.upload_message = ("error", exc)
            st.rerun()
        _upload_status(session)
