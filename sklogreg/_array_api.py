"""The few Array API helpers that scikit-learn does not offer in every version.

The loss, the penalty and the solvers are written against an array namespace
``xp`` (scikit-learn's ``get_namespace``): NumPy by default, the namespace of
the input arrays (array-api-strict, PyTorch, CuPy, ...) when scikit-learn's
``array_api_dispatch`` is on.  This module only moves arrays between
namespaces and devices (outside the solvers' loops) and names the widest float
dtype of a device.
"""

import numpy as np
from sklearn.externals import array_api_compat
from sklearn.utils._array_api import (
    _convert_to_numpy,
    _max_precision_float_dtype,
    get_namespace,
    get_namespace_and_device,
)

try:
    from sklearn.utils._array_api import check_same_namespace
except ImportError:  # scikit-learn < 1.9 does not check it

    def check_same_namespace(X, estimator, *, attribute, method):
        """Placeholder: this scikit-learn does not compare namespaces."""


__all__ = [
    "check_same_namespace",
    "get_namespace",
    "get_namespace_and_device",
    "max_float_dtype",
    "to_device",
    "to_numpy",
]


def to_numpy(array):
    """A NumPy copy (or view) of ``array``, wherever it lives.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._array_api import to_numpy
    >>> to_numpy(np.arange(3))
    array([0, 1, 2])
    """
    if isinstance(array, np.ndarray) or not array_api_compat.is_array_api_obj(array):
        return np.asarray(array)
    # the array's own namespace, whether dispatch is on or not (a model fitted
    # on a GPU may be plotted later, outside the config_context)
    return _convert_to_numpy(array, array_api_compat.array_namespace(array))


def to_device(array, xp, device):
    """``array`` as an array of namespace ``xp`` on ``device``.

    Within one namespace this is ``xp.asarray(array, device=device)`` (no copy
    when the device is already right); across namespaces the data goes
    through NumPy.  Used to bring ``y`` and ``sample_weight`` to ``X``, and
    NumPy-only results (class weights) to the device, before the solver runs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._array_api import get_namespace, to_device
    >>> xp, _ = get_namespace(np.ones(2))
    >>> to_device([1.0, 2.0], xp, None)
    array([1., 2.])
    """
    if array is None:
        return None
    source, _ = get_namespace(array)
    if source is not xp and not isinstance(array, (list, tuple)):
        array = to_numpy(array)
    return xp.asarray(array, device=device)


def max_float_dtype(xp, device):
    """The widest floating dtype of ``xp`` on ``device`` (float64 if supported).

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._array_api import get_namespace, max_float_dtype
    >>> xp, _ = get_namespace(np.ones(2))
    >>> max_float_dtype(xp, None) == np.float64
    True
    """
    return _max_precision_float_dtype(xp, device)
