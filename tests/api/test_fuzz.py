"""Fuzzing the API with random documents built from the schema and random variables, as an
anonymous reader and as an editor: no answer is a 500 or an INTERNAL error, and none shows
an internal detail (traceback, SQL, file path). Strings include NUL bytes, lone surrogates,
any Unicode and long texts; integers go past 32 bits; some bodies are not JSON objects.
Derandomized: every run tries the same 1,000 requests, so a failure reproduces."""

import json
import re

import httpx
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.config import Settings
from schema import build_schema

SCHEMA = build_schema(Settings())._schema
LEAKS = re.compile(
    r"Traceback|File \"|\.py\b|/work/|site-packages|\bSELECT\b|\bINSERT\b|\bFROM \"|"
    r"sqlite|asyncpg|tortoise|psycopg|Exception\b",
    re.IGNORECASE,
)
# Plain words that are not themselves a leak's signature ("from", "exception"): error
# messages echo arguments back, and an echo must not look like a leak.
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", max_size=12).filter(
    lambda word: not LEAKS.search(word)
)
# Any Unicode, lone surrogates and NUL included, and now and then a long text.
HOSTILE_TEXT = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=12),
    st.sampled_from(["\x00", "a\ud800", "\udfff", "%_" * 200, "w " * 300]),
).filter(lambda text: not LEAKS.search(text))
MAX_DEPTH = 4
EXAMPLES = 1000


def scalar_values(type_) -> st.SearchStrategy:
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType):
        return st.sampled_from(list(named.values)) | WORDS
    if isinstance(named, GraphQLInputObjectType):
        return st.fixed_dictionaries(
            {},
            optional={
                name: st.deferred(lambda f=f: scalar_values(f.type))
                for name, f in named.fields.items()
            },
        )
    by_name = {
        "Int": st.integers(min_value=-(2**31), max_value=2**31 - 1) | st.integers(),
        "Float": st.floats(allow_nan=False, allow_infinity=False),
        "Boolean": st.booleans(),
    }
    plain = by_name.get(named.name, WORDS | HOSTILE_TEXT)
    # Sometimes the wrong type, a null or a list, to exercise input coercion errors.
    return st.one_of(plain, plain, st.none(), HOSTILE_TEXT, st.lists(plain, max_size=2))


def literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def type_reference(type_) -> str:
    if isinstance(type_, GraphQLNonNull):
        return type_reference(type_.of_type) + "!"
    if isinstance(type_, GraphQLList):
        return "[" + type_reference(type_.of_type) + "]"
    return type_.name


@st.composite
def selection(draw, parent, depth: int, variables: dict) -> str:
    if isinstance(parent, GraphQLUnionType | GraphQLInterfaceType):
        possible = SCHEMA.get_possible_types(parent)
        target = draw(st.sampled_from(possible))
        inner = draw(selection(target, depth, variables))
        return f"__typename ... on {target.name} {{ {inner} }}"
    fields = parent.fields
    names = draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True))
    parts = []
    for name in names:
        field = fields[name]
        arguments = []
        for arg_name, arg in field.args.items():
            if not isinstance(arg.type, GraphQLNonNull) and not draw(st.booleans()):
                continue
            value = draw(scalar_values(arg.type))
            if draw(st.booleans()):
                variable = f"v{len(variables)}"
                variables[variable] = (type_reference(arg.type), value)
                arguments.append(f"{arg_name}: ${variable}")
            else:
                arguments.append(f"{arg_name}: {literal(value)}")
        text = name + (f"({', '.join(arguments)})" if arguments else "")
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            if depth >= MAX_DEPTH:
                continue
            text += " { " + draw(selection(inner, depth + 1, variables)) + " }"
        elif not isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            continue
        parts.append(text)
    return " ".join(parts) or "__typename"


@st.composite
def requests(draw) -> dict:
    kind = draw(st.sampled_from(["query", "query", "query", "mutation"]))
    root = SCHEMA.query_type if kind == "query" else SCHEMA.mutation_type
    variables: dict = {}
    body = draw(selection(root, 1, variables))
    declared = ", ".join(f"${name}: {ref}" for name, (ref, _) in variables.items())
    document = f"{kind} Fuzz{'(' + declared + ')' if declared else ''} {{ {body} }}"
    if draw(st.integers(0, 9)) == 0:  # a mangled document now and then
        cut = draw(st.integers(0, len(document)))
        document = document[:cut] + draw(st.sampled_from(["{", "}", "(", "$", "...", '"']))
    values = {name: value for name, (_, value) in variables.items()}
    return {"query": document, "variables": values}


NOT_OBJECTS = st.sampled_from(['"query"', "123", "null", "[]", "[1]", '{"query": 5}'])


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    request=requests(),
    use_get=st.booleans(),
    as_editor=st.booleans(),
    not_an_object=st.none() | st.none() | st.none() | NOT_OBJECTS,
)
async def test_random_requests_never_get_a_500_an_internal_error_or_a_leak(
    client: httpx.AsyncClient,
    seeded_page,
    editor_token: str,
    request: dict,
    use_get: bool,
    as_editor: bool,
    not_an_object: str | None,
):
    headers = {"Authorization": f"Bearer {editor_token}"} if as_editor else {}
    if not_an_object is not None:
        headers["content-type"] = "application/json"
        response = await client.post("/graphql", content=not_an_object, headers=headers)
    elif use_get and request["query"].startswith("query"):
        params = {"query": request["query"], "variables": json.dumps(request["variables"])}
        response = await client.get("/graphql", params=params, headers=headers)
    else:
        # json.dumps writes lone surrogates as escapes (\ud800), as a hostile client would.
        headers["content-type"] = "application/json"
        response = await client.post("/graphql", content=json.dumps(request), headers=headers)
    assert response.status_code < 500, (request, response.text)
    assert "INTERNAL_SERVER_ERROR" not in response.text, (request, response.text)
    assert not LEAKS.search(response.text), (request, response.text)
