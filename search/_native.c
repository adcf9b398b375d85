/* Compiled hot path of the search analysis (search/analysis.py stays the reference).
 *
 * analyze_fields(texts, cache, term_for, mark=0) -> tuple of len(texts) strings and a list:
 *   for each NORMALISED text, its index terms joined by spaces, then the list of the distinct words
 *   of all the texts (first occurrence order). Exactly
 *   [" ".join(map(term_for, split_tokens(t))) for t in texts] + [list(dict.fromkeys(all tokens))]:
 *   a token is a maximal run of characters for which str.isalnum() holds (Py_UNICODE_ISALNUM is the
 *   per-character test str.isalnum uses, read from a bitmap for the BMP, and search.analysis.TOKEN_RE
 *   matches the same runs); a term
 *   is read from ``cache`` (search.analysis._TERMS) and computed by ``term_for`` on a miss, so the
 *   stemmers stay in Python.
 *
 * Speed: a word's term is first looked up in a table of this module keyed by the word's code points
 * (one cache line per entry, no string object made for the lookup); each entry also stamps the call
 * that last saw it, which makes the per-document "distinct words" test free. Words that do not fit an
 * entry (over KEY_CHARS characters or outside the BMP) go through Python dictionaries.
 *
 * Built by search/build_native.py (scripts/setup.sh); SOURCE_SHA256 is the digest of this file, so
 * a module built from another version of it is not used.
 *
 * ``mark`` (from new_mark(); 0: none) names a vocabulary the caller keeps (search.vocabulary): a word
 * of the table already listed in a call with the same mark is left out of the list, so a document
 * whose words the vocabulary has costs no string per word. Words outside the table are always listed.
 * The caller must add every listed word to that vocabulary, and take a new mark when it forgets words.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif

#define KEY_CHARS 20
#ifndef TABLE_BITS /* the tests build a tiny table to run its full and cleared paths */
#define TABLE_BITS 19
#endif
#define TABLE_SIZE ((size_t)1 << TABLE_BITS)
#define TABLE_MASK (TABLE_SIZE - 1)
#define TABLE_MAX_USED (TABLE_SIZE / 2)

typedef struct {
    uint64_t hash; /* 0: empty slot */
    PyObject *term; /* owned */
    uint32_t stamp; /* the call that last saw this word */
    uint16_t length;
    uint16_t mark; /* the vocabulary mark of the last call that listed this word */
    Py_UCS2 key[KEY_CHARS];
} Entry;

static PyObject *space;
/* Py_UNICODE_ISALNUM of every BMP character, one bit each (filled at import). */
static uint8_t bmp_alnum[0x10000 / 8];

static inline int
is_alnum(Py_UCS4 ch)
{
    if (ch < 0x10000)
        return (bmp_alnum[ch >> 3] >> (ch & 7)) & 1;
    return Py_UNICODE_ISALNUM(ch);
}

static Entry *table;
static size_t table_used;
static uint32_t call_stamp;
/* Set while a call uses the table. term_for runs Python code, so another thread may enter meanwhile
 * (under the GIL, never at the same instant): that call leaves the table alone. */
static int table_busy;

static void
table_clear(void)
{
    if (table == NULL)
        return;
    for (size_t i = 0; i < TABLE_SIZE; i++) {
        Py_XDECREF(table[i].term);
    }
    memset(table, 0, TABLE_SIZE * sizeof(Entry));
    table_used = 0;
}

/* The slot of the word text[start:end] (its hash given), or of the empty slot where it belongs. */
static size_t
table_probe(uint64_t hash, int kind, const void *data, Py_ssize_t start, Py_ssize_t length, int *found)
{
    size_t slot = (size_t)hash & TABLE_MASK;
    for (;;) {
        Entry *entry = &table[slot];
        if (entry->hash == 0) {
            *found = 0;
            return slot;
        }
        if (entry->hash == hash && entry->length == length) {
            Py_ssize_t i = 0;
            while (i < length && entry->key[i] == PyUnicode_READ(kind, data, start + i))
                i++;
            if (i == length) {
                *found = 1;
                return slot;
            }
        }
        slot = (slot + 1) & TABLE_MASK;
    }
}

/* New reference to the term of ``word``: the shared cache, else term_for(word). */
static PyObject *
python_term(PyObject *word, PyObject *cache, PyObject *term_for)
{
    PyObject *term = PyDict_GetItemWithError(cache, word); /* borrowed */
    if (term != NULL) {
        Py_INCREF(term);
        return term;
    }
    if (PyErr_Occurred())
        return NULL;
    term = PyObject_CallOneArg(term_for, word);
    if (term != NULL && !PyUnicode_Check(term)) {
        PyErr_SetString(PyExc_TypeError, "term_for() must return str");
        Py_CLEAR(term);
    }
    return term;
}

static uint16_t last_mark;

static PyObject *
new_mark(PyObject *self, PyObject *unused)
{
    if (++last_mark == 0) { /* wrapped: no entry may claim to be listed under the new mark */
        if (table != NULL) {
            for (size_t i = 0; i < TABLE_SIZE; i++)
                table[i].mark = 0;
        }
        last_mark = 1;
    }
    return PyLong_FromLong(last_mark);
}

static PyObject *
analyze_fields(PyObject *self, PyObject *args)
{
    PyObject *texts, *cache, *term_for;
    unsigned int mark_arg = 0;
    if (!PyArg_ParseTuple(args, "O!O!O|I:analyze_fields", &PyTuple_Type, &texts, &PyDict_Type, &cache,
                          &term_for, &mark_arg))
        return NULL;
    if (mark_arg > 0xFFFF) {
        PyErr_SetString(PyExc_ValueError, "analyze_fields(): mark out of range");
        return NULL;
    }
    const uint16_t mark = (uint16_t)mark_arg;
    if (table == NULL) {
        table = PyMem_Calloc(TABLE_SIZE, sizeof(Entry));
        if (table == NULL)
            return PyErr_NoMemory();
    }
    const int use_table = !table_busy;
    if (use_table) {
        table_busy = 1;
        if (table_used >= TABLE_MAX_USED)
            table_clear();
        if (++call_stamp == 0) { /* wrapped: no entry may claim to be seen by this call */
            for (size_t i = 0; i < TABLE_SIZE; i++)
                table[i].stamp = 0;
            call_stamp = 1;
        }
    }
    const uint32_t stamp = call_stamp;
    Py_ssize_t count = PyTuple_GET_SIZE(texts);
    PyObject *result = PyTuple_New(count + 1);
    PyObject *words = PyList_New(0); /* distinct words, first occurrence order */
    PyObject *seen = NULL;           /* distinct words that have no table entry -> their terms */
    PyObject *terms = NULL, *word = NULL, *term = NULL;
    if (result == NULL || words == NULL)
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
            Py_UCS4 ch = 0;
            while (pos < length && !is_alnum(ch = PyUnicode_READ(kind, data, pos)))
                pos++;
            if (pos >= length)
                break;
            Py_ssize_t start = pos;
            uint64_t hash = 14695981039346656037ULL; /* FNV-1a over the code points */
            Py_UCS4 maxchar = 0;
            do {
                hash = (hash ^ ch) * 1099511628211ULL;
                if (ch > maxchar)
                    maxchar = ch;
                pos++;
            } while (pos < length && is_alnum(ch = PyUnicode_READ(kind, data, pos)));
            Py_ssize_t size = pos - start;
            hash ^= hash >> 29;
            if (hash == 0)
                hash = 1;
            int keyed = use_table && size <= KEY_CHARS && maxchar <= 0xFFFF, found = 0;
            size_t slot = 0;
            if (keyed) {
                slot = table_probe(hash, kind, data, start, size, &found);
                if (found) {
                    Entry *entry = &table[slot];
                    term = entry->term;
                    Py_INCREF(term);
                    if (entry->stamp != stamp && (mark == 0 || entry->mark != mark)) {
                        entry->stamp = stamp;
                        entry->mark = mark;
                        word = PyUnicode_Substring(text, start, pos);
                        if (word == NULL || PyList_Append(words, word) < 0)
                            goto error;
                        Py_CLEAR(word);
                    }
                }
            }
            if (!found) {
                word = PyUnicode_Substring(text, start, pos);
                if (word == NULL)
                    goto error;
                if (seen != NULL) {
                    term = PyDict_GetItemWithError(seen, word); /* borrowed */
                    if (term != NULL)
                        Py_INCREF(term);
                    else if (PyErr_Occurred())
                        goto error;
                }
                if (term == NULL) { /* the first occurrence of this word in this call */
                    term = python_term(word, cache, term_for);
                    if (term == NULL)
                        goto error;
                    if (keyed) /* term_for ran Python code: find the slot again */
                        slot = table_probe(hash, kind, data, start, size, &found);
                    if (keyed && found) {
                        table[slot].stamp = stamp;
                        table[slot].mark = mark;
                    }
                    else if (keyed && table_used < TABLE_MAX_USED) {
                        Entry *entry = &table[slot];
                        entry->hash = hash;
                        entry->term = term;
                        Py_INCREF(term);
                        entry->stamp = stamp;
                        entry->mark = mark;
                        entry->length = (uint16_t)size;
                        for (Py_ssize_t k = 0; k < size; k++)
                            entry->key[k] = (Py_UCS2)PyUnicode_READ(kind, data, start + k);
                        table_used++;
                    }
                    else {
                        if (seen == NULL && (seen = PyDict_New()) == NULL)
                            goto error;
                        if (PyDict_SetItem(seen, word, term) < 0)
                            goto error;
                    }
                    if (PyList_Append(words, word) < 0)
                        goto error;
                }
                Py_CLEAR(word);
            }
            int failed = PyList_Append(terms, term) < 0;
            Py_CLEAR(term);
            if (failed)
                goto error;
        }
        PyObject *joined = PyUnicode_Join(space, terms);
        Py_CLEAR(terms);
        if (joined == NULL)
            goto error;
        PyTuple_SET_ITEM(result, i, joined);
    }
    PyTuple_SET_ITEM(result, count, words);
    Py_XDECREF(seen);
    if (use_table)
        table_busy = 0;
    return result;

error:
    if (use_table)
        table_busy = 0;
    Py_XDECREF(word);
    Py_XDECREF(term);
    Py_XDECREF(terms);
    Py_XDECREF(words);
    Py_XDECREF(seen);
    Py_XDECREF(result);
    return NULL;
}

static PyObject *
clear_table(PyObject *self, PyObject *unused)
{
    if (table_busy) {
        PyErr_SetString(PyExc_RuntimeError, "the word table is in use");
        return NULL;
    }
    table_clear();
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"analyze_fields", analyze_fields, METH_VARARGS,
     "analyze_fields(texts, cache, term_for, mark=0): the joined terms of each normalised text and "
     "their distinct words (see search/_native.c)."},
    {"new_mark", new_mark, METH_NOARGS, "A fresh vocabulary mark for analyze_fields."},
    {"clear_table", clear_table, METH_NOARGS, "Forget the module's word -> term table."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__native(void)
{
    for (Py_UCS4 ch = 0; ch < 0x10000; ch++) {
        if (Py_UNICODE_ISALNUM(ch))
            bmp_alnum[ch >> 3] |= (uint8_t)(1 << (ch & 7));
    }
    space = PyUnicode_FromString(" ");
    if (space == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0 ||
        PyModule_AddIntConstant(m, "KEY_CHARS", KEY_CHARS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
