"""Reader for the UCI splice-junction data that the project's tutorial uses."""

import numpy as np

__all__ = ["load_splice", "SPLICE_CLASSES"]

SPLICE_CLASSES = ("EI", "IE", "N")
_NUCLEOTIDES = frozenset("ACGTDNSR")  # A, C, G, T and the ambiguity codes used
_SEQUENCE_LENGTH = 60


def load_splice(path):
    """Read the UCI "Molecular Biology (Splice-junction Gene Sequences)" file.

    Each line is ``class, instance name, sequence``: a class among ``EI``,
    ``IE`` and ``N``, an identifier, and 60 nucleotides (``A``, ``C``, ``G``,
    ``T`` and the ambiguity codes ``D``, ``N``, ``S``, ``R``).  White space
    around the fields is stripped.

    Parameters
    ----------
    path : str or path-like
        Location of ``splice.data``.

    Returns
    -------
    X : ndarray of shape (n_samples, 60), dtype "<U1"
        One nucleotide letter per position.
    y : ndarray of shape (n_samples,), dtype "<U2"
        Class of each sequence.
    names : ndarray of shape (n_samples,)
        Instance names (identifiers, not unique).

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError
        If a line is not in that format; the message names the line.

    Examples
    --------
    >>> import tempfile, os
    >>> from sklogreg.datasets import load_splice
    >>> line = "EI,    ATRINS-DONOR-521,   " + "ACGT" * 15 + "\\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "splice.data")
    ...     with open(path, "w") as f:
    ...         _ = f.write(line)
    ...     X, y, names = load_splice(path)
    >>> X.shape, str(y[0]), str(names[0]), "".join(X[0, :4])
    ((1, 60), 'EI', 'ATRINS-DONOR-521', 'ACGT')
    """
    sequences, labels, names = [], [], []
    with open(path, encoding="ascii", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            fields = [field.strip() for field in line.split(",")]
            where = f"{path}, line {number}"
            if len(fields) != 3:
                raise ValueError(
                    f"{where}: expected 3 comma-separated fields (class, name, "
                    f"sequence), found {len(fields)}."
                )
            label, name, sequence = fields
            if label not in SPLICE_CLASSES:
                raise ValueError(
                    f"{where}: class {label!r} is not one of {SPLICE_CLASSES}."
                )
            if len(sequence) != _SEQUENCE_LENGTH or not set(sequence) <= _NUCLEOTIDES:
                raise ValueError(
                    f"{where}: expected a sequence of {_SEQUENCE_LENGTH} letters "
                    f"from {''.join(sorted(_NUCLEOTIDES))}, found {sequence[:80]!r}."
                )
            sequences.append(list(sequence))
            labels.append(label)
            names.append(name)
    if not sequences:
        raise ValueError(f"{path}: no data lines found.")
    return np.array(sequences), np.array(labels), np.array(names)
