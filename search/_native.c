/* Compiled hot path of the search analysis (search/analysis.py stays the reference).
 *
 * analyze_fields(texts, cache, term_for) -> tuple of len(texts) + 1 strings:
 *   for each NORMALISED text, its index terms joined by spaces, then the distinct words of all the
 *   texts (first occurrence order) joined by spaces. Exactly
 *   [" ".join(map(term_for, split_tokens(t))) for t in texts] + [" ".join(dict.fromkeys(all tokens))]:
 *   a token is a maximal run of characters for which str.isalnum() holds (Py_UNICODE_ISALNUM is the
 *   per-character test str.isalnum uses, and search.analysis.TOKEN_RE matches the same runs); a term
 *   is read from ``cache`` (search.analysis._TERMS) and computed by ``term_for`` on a miss, so the
 *   stemmers and their cache stay in Python.
 *
 * Built by search/build_native.py (scripts/setup.sh); SOURCE_SHA256 is the digest of this file, so
 * a module built from another version of it is not used.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif

static PyObject *space;

static PyObject *
analyze_fields(PyObject *self, PyObject *args)
{
    PyObject *texts, *cache, *term_for;
    if (!PyArg_ParseTuple(args, "O!O!O:analyze_fields", &PyTuple_Type, &texts, &PyDict_Type, &cache,
                          &term_for))
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(texts);
    PyObject *result = PyTuple_New(count + 1);
    PyObject *seen = PyDict_New();
    PyObject *terms = NULL, *keys = NULL;
    if (result == NULL || seen == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = PyTuple_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "analyze_fields() needs a tuple of str");
            goto error;
        }
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(text) < 0)
            goto error;
#endif
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t length = PyUnicode_GET_LENGTH(text), pos = 0;
        terms = PyList_New(0);
        if (terms == NULL)
            goto error;
        while (pos < length) {
            while (pos < length && !Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, pos)))
                pos++;
            if (pos >= length)
                break;
            Py_ssize_t start = pos;
            while (pos < length && Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, pos)))
                pos++;
            PyObject *word = PyUnicode_Substring(text, start, pos);
            if (word == NULL)
                goto error;
            /* The document's own words first (small and hot), then the shared cache. */
            PyObject *term = PyDict_GetItemWithError(seen, word); /* borrowed */
            if (term == NULL && !PyErr_Occurred())
                term = PyDict_GetItemWithError(cache, word); /* borrowed */
            if (term != NULL) {
                Py_INCREF(term);
            }
            else if (PyErr_Occurred()) {
                Py_DECREF(word);
                goto error;
            }
            else {
                term = PyObject_CallOneArg(term_for, word);
                if (term == NULL) {
                    Py_DECREF(word);
                    goto error;
                }
                if (!PyUnicode_Check(term)) {
                    PyErr_SetString(PyExc_TypeError, "term_for() must return str");
                    Py_DECREF(term);
                    Py_DECREF(word);
                    goto error;
                }
            }
            /* Insertion order is first occurrence; a word already there keeps its place. */
            int failed = PyDict_SetDefault(seen, word, term) == NULL;
            if (!failed)
                failed = PyList_Append(terms, term) < 0;
            Py_DECREF(term);
            Py_DECREF(word);
            if (failed)
                goto error;
        }
        PyObject *joined = PyUnicode_Join(space, terms);
        Py_CLEAR(terms);
        if (joined == NULL)
            goto error;
        PyTuple_SET_ITEM(result, i, joined);
    }
    keys = PyDict_Keys(seen);
    if (keys == NULL)
        goto error;
    PyObject *words = PyUnicode_Join(space, keys);
    if (words == NULL)
        goto error;
    PyTuple_SET_ITEM(result, count, words);
    Py_DECREF(keys);
    Py_DECREF(seen);
    return result;

error:
    Py_XDECREF(terms);
    Py_XDECREF(keys);
    Py_XDECREF(seen);
    Py_XDECREF(result);
    return NULL;
}

static PyMethodDef methods[] = {
    {"analyze_fields", analyze_fields, METH_VARARGS,
     "analyze_fields(texts, cache, term_for): the joined terms of each normalised text and their "
     "distinct words (see search/_native.c)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__native(void)
{
    space = PyUnicode_FromString(" ");
    if (space == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
