"""Errors data/, models/ and lessons/ raise on purpose: a stable code, the numbers, an English sentence.

They stay free of UI concerns: `str(exc)` is the English sentence (the CLI
prints it, the tests read it), `exc.code` names the problem and `exc.params`
holds the numbers and names behind it. The UI words it in the session's
language from `errors.<code>` in ui/locales/<language>/errors.toml
(ui.language.error_text), whose placeholders are exactly the params.

ERROR_CODES is the list of every code with its params, the stop reasons
(TrainingRun.stop_code) and device notes (TrainingRun.device_code) included;
tests/test_error_codes.py checks the sources and both catalogues against it.
"""

from __future__ import annotations

from typing import Any


class CodedError(ValueError):
    """A ValueError with a `code` (snake_case) and `params` (the numbers behind it).

    `CodedError(code, message, **params)`. One argument alone is a plain
    message without a code (code None), as a bare ValueError would be.
    """

    def __init__(self, code: str, message: str | None = None, /, **params: Any) -> None:
        if message is None:
            code, message = None, code
        super().__init__(message)
        self.code: str | None = code
        self.params: dict[str, Any] = params

    def __reduce__(self):
        # The default reduce would call __init__(message) and lose the code.
        return _rebuild, (type(self), self.code, str(self), self.params)


def _rebuild(cls: type[CodedError], code: str | None, message: str, params: dict) -> CodedError:
    error = cls.__new__(cls)
    ValueError.__init__(error, message)
    error.code, error.params = code, dict(params)
    return error


class DataFormatError(CodedError):
    """A data file is malformed; the message is written for a student.

    It names the row (1-based, as a spreadsheet shows it) and/or the column
    so the student can open the file and fix it.
    """


class BlankDrawingError(CodedError):
    """The drawing has (almost) no ink, so there is nothing to recognise."""


# The params of each code (the placeholders of errors.<code>). The names used throughout:
# name = a file's name, row = 1-based row as a spreadsheet shows it, column = 1-based column,
# letter = the spreadsheet's column letters, column_name = a header cell, value = a cell's text
# or number, choices = the accepted names joined by ", ".
_MNIST_CELL = ("name", "row", "column", "letter", "pixel")
_GRID_CELL = ("row", "column")
ERROR_CODES: dict[str, tuple[str, ...]] = {
    # Reading any file (data/csv_io.py)
    "file_too_large": ("name", "limit_mb"),
    "file_too_large_size": ("name", "size_mb", "limit_mb"),
    "file_cannot_open": ("name", "reason"),
    # A file that is not CSV text (data/csv_mnist.py)
    "not_csv_png": ("name",),
    "not_csv_jpeg": ("name",),
    "not_csv_gif": ("name",),
    "not_csv_pdf": ("name",),
    "not_csv_zip": ("name",),
    "not_csv_xls": ("name",),
    "not_csv_gzip": ("name",),
    "csv_utf16": ("name",),
    "csv_binary": ("name",),
    "csv_empty": ("name",),
    "csv_row_blank": ("name", "row"),
    # MNIST in the slides' CSV format (data/csv_mnist.py)
    "mnist_csv_row_width": ("name", "row", "found"),
    "mnist_csv_row_one_value": ("name", "row"),
    "mnist_csv_no_label": ("name", "row"),
    "mnist_csv_semicolons": ("name", "row"),
    "mnist_csv_tabs": ("name", "row"),
    "mnist_csv_no_images": ("name",),
    "mnist_csv_label_empty": ("name", "row"),
    "mnist_csv_pixel_empty": _MNIST_CELL,
    "mnist_csv_label_not_whole": ("name", "row", "value"),
    "mnist_csv_pixel_not_whole": (*_MNIST_CELL, "value"),
    "mnist_csv_pixel_scaled": (*_MNIST_CELL, "value"),
    "mnist_csv_label_range": ("name", "row", "value"),
    "mnist_csv_pixel_range": (*_MNIST_CELL, "value"),
    "mnist_csv_label_open_quote": ("name", "row", "value"),
    "mnist_csv_pixel_open_quote": (*_MNIST_CELL, "value"),
    "mnist_csv_label_not_number": ("name", "row", "value"),
    "mnist_csv_pixel_not_number": (*_MNIST_CELL, "value"),
    "mnist_csv_unreadable": ("name", "detail"),
    "mnist_csv_shape": ("name", "rows"),
    "mnist_csv_one_image": ("name",),
    # A table with a header row (data/csv_tabular.py)
    "csv_row_width": ("name", "row", "found", "columns", "header"),
    "csv_row_unreadable": ("name", "row", "detail"),
    "csv_cell_too_long": ("name", "row", "limit"),
    "csv_header_blank": ("name", "row", "column", "letter"),
    "csv_header_duplicate": ("name", "column_name"),
    "csv_no_data_rows": ("name",),
    "csv_cell_empty": ("name", "row", "column_name", "letter"),
    "csv_cell_missing": ("name", "row", "column_name", "letter", "value"),
    "csv_cell_not_number": ("name", "row", "column_name", "letter", "value"),
    "csv_target_decimal": ("name", "target"),
    "csv_target_text": ("name", "target", "value"),
    "csv_target_one_class": ("name", "target", "label"),
    "csv_target_not_binary": ("name", "target", "classes"),
    "csv_no_target": ("name", "target", "columns"),
    "csv_no_target_semicolons": ("name", "target", "columns"),
    "csv_no_target_tabs": ("name", "target", "columns"),
    "csv_no_feature_columns": ("name", "missing", "columns"),
    "csv_target_is_feature": ("target",),
    "csv_feature_twice": (),
    "csv_no_features": ("name", "target"),
    "csv_one_row": ("name",),
    # Your own table in the dashboard (data/csv_table.py); the last two are notes, not errors
    "table_one_column": ("name", "column_name"),
    "table_too_few_rows": ("name", "rows", "minimum"),
    "table_too_many_classes": ("name", "target", "classes", "limit"),
    "table_number_too_large": ("name", "row", "column_name", "letter", "value", "limit"),
    "table_value_off_scale": ("name", "row", "column_name", "letter", "value"),
    "table_n_train_range": ("n_train", "low", "high"),
    "table_rows_dropped": ("count", "row"),
    "table_class_not_in_training": ("classes", "count"),
    # The built-in datasets (data/mnist.py, data/loader.py, data/tabular.py)
    "mnist_file_missing": ("file", "folder"),
    "mnist_file_not_gzip": ("file", "detail"),
    "idx_too_short": ("name",),
    "idx_magic_images": ("name", "found", "expected"),
    "idx_magic_labels": ("name", "found", "expected"),
    "idx_image_size": ("name", "height", "width"),
    "idx_size_mismatch": ("name", "items", "expected", "found"),
    "mnist_count_mismatch": ("part", "images", "labels", "file"),
    "mnist_bad_label": ("part", "label"),
    "unknown_dataset": ("name", "choices"),
    "features_empty": (),
    "features_unknown": ("features", "available"),
    "features_twice": (),
    # Drawings (data/digits.py)
    "image_bad_shape": ("shape",),
    "image_too_small": ("height", "width"),
    "drawing_blank": (),
    # Networks, training, model files (models/)
    "unknown_activation": ("name", "choices"),
    "unknown_model_kind": ("kind", "choices"),
    "unknown_init": ("init", "choices"),
    "unknown_optimizer": ("name", "choices"),
    "unknown_loss": ("loss", "choices"),
    "unknown_task": ("task",),
    "unknown_device": ("device",),
    "cnn_needs_image": ("shape",),
    # Recurrent networks and sequence tasks (models/recurrent.py, data/sequences.py,
    # lessons/through_time.py)
    "recurrent_needs_sequence": ("shape",),
    "recurrent_hidden_uneven": ("hidden",),
    "not_recurrent": ("kind",),
    "seq_len_range": ("value", "limit"),
    "n_sequences_range": ("value", "limit"),
    "noise_negative": ("value",),
    "augment_needs_images": ("shape",),
    # The worker process that trained a run ended (models/train_process.py)
    "training_process_lost": ("exitcode",),
    "kernel_size_odd": ("size",),
    "conv_channels_empty": (),
    "conv_too_many_blocks": (),
    "dropout_range": ("value",),
    "hidden_layer_empty": (),
    "lr_not_positive": ("lr",),
    "batch_or_epochs_invalid": ("batch_size", "epochs"),
    "model_file_missing": ("path",),
    "model_file_unsafe": (),
    "model_file_not_pytorch": (),
    "model_file_empty": (),
    "model_file_incomplete": ("size",),
    "model_file_not_nnlab": (),
    "model_file_damaged": ("detail",),
    "model_file_foreign": (),
    "model_file_architecture": (),
    "model_file_weights_mismatch": ("detail",),
    "model_file_bad_setting": ("setting", "value"),
    "model_kind_not_in_lab": ("kind", "choices"),  # raised by ui/model_files.py
    "model_file_too_big": ("mb", "limit"),  # raised by ui/model_files.py
    "model_input_shape": ("model_shape", "data_shape"),
    "model_other_columns": ("file_target", "file_features", "target", "features"),
    "model_task_regression": ("model_outputs", "data_outputs"),
    "model_task_binary": ("model_outputs", "data_outputs"),
    "model_task_multiclass": ("model_outputs", "data_outputs"),
    "model_outputs_mismatch": ("model_outputs", "data_outputs"),
    # A plain state_dict fitted into an architecture (models/state_dict_match.py)
    "model_file_pickled_module": (),
    "state_dict_not_dict": ("kind",),
    "state_dict_empty": (),
    "state_dict_not_tensor": ("entry", "kind"),
    "state_dict_shape_mismatch": (
        "position",
        "layer",
        "file_shape",
        "model_layer",
        "model_shape",
    ),
    "state_dict_too_few": ("file_count", "model_count", "model_layer"),
    "state_dict_too_many": ("file_count", "model_count", "layer"),
    # Why a run stopped (TrainingRun.stop_code) and where it trains (TrainingRun.device_code)
    "diverged": ("value", "epoch", "step", "good_epoch"),
    "diverged_initial": ("value", "epoch", "step"),
    "diverged_at_start": ("value",),
    "early_stopped": ("patience", "epoch", "loss"),
    "restored_best": ("epoch",),
    "loaded_from_file": (),
    "device_no_cuda": (),
    "device_no_mps": (),
    # The concept labs (lessons/)
    "range_order": ("lo", "hi"),
    "chain_depth": ("depth",),
    "backprop_param_count": ("count",),
    "unknown_output": ("name", "choices"),
    "sigmoid_target_range": ("value",),
    "stride_too_small": ("stride",),
    "padding_negative": ("padding",),
    "filter_size_zero": (),
    "filter_too_big_axis": ("size", "n", "padding", "padded"),
    "conv_not_2d": (),
    "filter_too_big": ("kh", "kw", "ph", "pw"),
    "pool_too_small": ("size",),
    "pool_too_big": ("size", "height", "width"),
    "image_empty": (),
    "image_cell_not_number": (*_GRID_CELL, "value"),
    "image_cell_not_finite": _GRID_CELL,
    "image_cell_too_large": (*_GRID_CELL, "limit"),
    "filter_empty": (),
    "filter_cell_not_number": (*_GRID_CELL, "value"),
    "filter_cell_not_finite": _GRID_CELL,
    "filter_cell_too_large": (*_GRID_CELL, "limit"),
    "grid_empty": (),
    "grid_cell_not_number": (*_GRID_CELL, "value"),
    "grid_cell_not_finite": _GRID_CELL,
    "grid_cell_too_large": (*_GRID_CELL, "limit"),
    "unknown_surface": ("name", "choices"),
    "steps_negative": ("steps",),
    "unknown_target": ("name", "choices"),
    "points_not_numbers": (),
    "points_too_few": (),
    "points_empty_cells": (),
    "points_x_range": ("lo", "hi"),
    "points_y_range": ("limit",),
    "points_same_x": (),
    # Settings from a link, a model file or the coach (models/flags.py, ui/experiment_settings.py)
    "setting_unknown": ("setting", "keys"),
    "setting_unknown_near": ("setting", "suggestion", "keys"),
    "setting_not_number": ("setting", "value"),
    "setting_not_whole": ("setting", "value"),
    "setting_out_of_range": ("setting", "value", "low", "high"),
    "setting_not_choice": ("setting", "value", "choices"),
    "setting_not_bool": ("setting", "value"),
    "setting_not_in_lab": ("setting", "value"),
    "setting_lab_range": ("setting", "value", "low", "high"),
    "setting_uneven_hidden": ("value",),
    "setting_layer_count": ("value", "count", "low", "high"),
    "setting_recurrent_layer_count": ("value", "count", "low", "high"),
    "setting_uneven_recurrent": ("value",),
    "setting_repeated": ("setting", "count", "value"),
    "setting_snapped": ("setting", "value", "used"),
    # A command-line value beyond its flag's limits (models/flags.py out_of_limits)
    "flag_out_of_range": ("flag", "value", "low", "high"),
    # A training subset (data/tabular.py)
    "subset_size": ("value", "low", "high"),
    # The folder `python -m data export NAME DIR` writes into (data/export.py)
    "export_folder_is_file": ("path",),
    "export_folder_parent_missing": ("path", "parent"),
    # The code view's script (models/export*.py)
    "export_kind_unsupported": ("kind",),
    "export_optimizer_unsupported": ("name",),
    "export_setting_unsupported": ("setting",),
}
