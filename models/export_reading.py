"""The exported script's reading of its CSV files and its --out path: one sentence for each mistake.

A student runs the script at home, where the commonest mistakes are a folder without the
data, another lab's CSV, a file Excel saved in Big5, an empty cell, or an --out folder that
does not exist. Each used to end in a pandas or torch traceback, and a NaN cell in "diverged:
try a smaller learning rate". These functions (Python source, emitted into every script)
stop with one line that says what to fix, before any training.
"""

from __future__ import annotations

from textwrap import dedent

READING_CODE = dedent(
    '''\
    def read_csv(path, **options):
        """The CSV file at `path` as a table; stops with one sentence if it can't be read."""
        if not os.path.isfile(path):
            sys.exit(
                f"There is no {path}. Unzip this lab's data zip into that folder, "
                "or give the folder that holds it with --data."
            )
        try:
            return pd.read_csv(path, **options)
        except (UnicodeDecodeError, pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
            sys.exit(f"{path} can't be read as a UTF-8 CSV file ({exc}).")


    def numbers(frame, columns, path):
        """The columns as float64 values; stops with one sentence at a missing column or a bad cell."""
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            sys.exit(f"{path} has no column {missing[0]}: is it this lab's data?")
        values = frame[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
        bad = np.argwhere(~np.isfinite(values))
        if len(bad):
            row, col = bad[0]
            # Rows as the file's lines: the header is row 1, as NN Lab's own messages count.
            sys.exit(f"{path}, row {row + 2}: {columns[col]} is empty or not a number.")
        return values
    '''
)

# The classes' labels, each checked against CLASSES (a new label would be NaN, then an error).
LABELS_CODE = dedent(
    '''\
    def labels(frame, path):
        """The TARGET column as class numbers; stops with one sentence at a label not in CLASSES."""
        if TARGET not in frame.columns:
            sys.exit(f"{path} has no column {TARGET}: is it this lab's data?")
        index = {name: i for i, name in enumerate(CLASSES)}
        found = frame[TARGET].astype(str).map(index)
        unknown = found.isna().to_numpy().nonzero()[0]
        if len(unknown):
            row = unknown[0]
            value = str(frame[TARGET].iloc[row])
            sys.exit(f"{path}, row {row + 2}: {TARGET} '{value}' is not one of {CLASSES}.")
        return found.to_numpy()
    '''
)

OUT_CHECK = [
    "    folder = os.path.dirname(os.path.abspath(args.out))",
    "    if os.path.isdir(args.out) or not os.path.isdir(folder):",
    '        sys.exit(f"--out {args.out}: give a file name in a folder that exists.")',
]
