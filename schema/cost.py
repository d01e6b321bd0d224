"""The cost budget of an operation: a validation rule, so repeated documents are checked once
(the validation cache keeps the verdict).

Every field costs the product of the sizes of the lists around it: asking for
``pages(first: 50) { edges { node { title } } }`` costs 1 + 1 * 50 * (1 + 1) = 101.

- A connection's size is its page size; given as a variable it counts as the maximum page
  size (validation does not see variable values); without ``first``/``last`` it counts its
  default page size.
- A plain list (``sections``, ``replies``) counts as ``PLAIN_LIST_SIZE`` items. A list of
  the same type as its parent walks a tree (``children``, ``replies``): its items are part
  of the tree the outer list already counted, so it does not multiply again.
- A back-reference is a single object of a type already on the path (``section.page``,
  ``comment.page``, ``section.parent``): it leads back to something the query holds. A path
  may follow one; a second would let a few bytes of document loop through the same objects
  (``sections { page { sections { page … } } }``), so the operation is refused.

Execution then enforces the real sizes: time and response size (schema/budget.py).
"""

from dataclasses import dataclass, replace

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    get_named_type,
)
from graphql.validation import ValidationRule

from cms.errors import ErrorCode, coded_extensions

# The default page size of our connections (pages, comments) when neither first nor last is
# given; see schema/page/queries.py and schema/page/types.py.
DEFAULT_CONNECTION_SIZE = 20
# What a plain list (a page's sections, a comment's replies) is assumed to hold.
PLAIN_LIST_SIZE = DEFAULT_CONNECTION_SIZE
PAGE_SIZE_ARGUMENTS = ("first", "last")
MAX_BACK_REFERENCES = 1


@dataclass(frozen=True)
class Path:
    """Where a selection is: the object types above it, the back-references followed,
    whether it is a connection's (whose lists, ``edges`` and ``nodes``, its page size already
    counted) and the fragments being expanded (their cycles are NoFragmentCycles' to report)."""

    types: frozenset[str] = frozenset()
    back_references: int = 0
    in_connection: bool = False
    fragments: frozenset[str] = frozenset()
    # In a connection's ``edges``: their ``node`` is an item of the page, not a way back.
    in_edges: bool = False

    def enter(
        self, type_: GraphQLNamedType | None, *, back_reference: bool, connection: bool
    ) -> "Path":
        types = self.types | {type_.name} if type_ is not None else self.types
        return Path(
            types,
            self.back_references + back_reference,
            connection,
            self.fragments,
            in_edges=self.in_connection,
        )

    def expanding(self, fragment: str) -> "Path":
        return replace(self, fragments=self.fragments | {fragment})


class TooManyBackReferences(Exception):
    """The document follows more than MAX_BACK_REFERENCES back-references on one path."""

    def __init__(self, field: FieldNode) -> None:
        super().__init__(field.name.value)
        self.field = field


def _unwrapped(type_: GraphQLOutputType) -> GraphQLOutputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def query_cost_rule(max_cost: int, max_page_size: int) -> type[ValidationRule]:
    """A validation rule refusing operations that cost more than ``max_cost``."""

    class QueryCost(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments: dict[str, FragmentDefinitionNode] = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            self.fragment_costs: dict[tuple[str, Path], int] = {}

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            name = f"'{node.name.value}' " if node.name else ""
            try:
                cost = self.selection_cost(
                    node.selection_set,
                    root,
                    Path().enter(root, back_reference=False, connection=False),
                )
            except TooManyBackReferences as refusal:
                self.refuse(
                    f"Operation {name}follows more than {MAX_BACK_REFERENCES} back-reference "
                    f"on one path (at '{refusal.field.name.value}'): it leads back to objects "
                    "the query already holds; ask for their fields there.",
                    refusal.field,
                    {},
                )
                return
            if cost > max_cost:
                self.refuse(
                    f"Operation {name}costs {cost}, more than the budget of {max_cost}: "
                    "ask for smaller pages or fewer fields.",
                    node,
                    {"cost": cost, "maxCost": max_cost},
                )

        def refuse(self, message: str, node: object, details: dict[str, int]) -> None:
            extensions = coded_extensions(ErrorCode.QUERY_TOO_COSTLY, dict(details))
            self.report_error(GraphQLError(message, node, extensions=extensions))  # type: ignore[arg-type]

        def page_size(self, field: FieldNode) -> int:
            for argument in field.arguments or ():
                if argument.name.value in PAGE_SIZE_ARGUMENTS:
                    if isinstance(argument.value, IntValueNode):
                        # Over the maximum is refused when the field runs; clamping keeps
                        # the reported cost a number JSON can carry.
                        return min(max(int(argument.value.value), 0), max_page_size + 1)
                    if isinstance(argument.value, VariableNode):
                        return max_page_size
            return DEFAULT_CONNECTION_SIZE

        def selection_cost(
            self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, path: Path
        ) -> int:
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    total += self.field_cost(selection, parent, path)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    inner = (
                        self.context.schema.get_type(condition.name.value) if condition else parent
                    )
                    total += self.selection_cost(selection.selection_set, inner, path)
                elif isinstance(selection, FragmentSpreadNode):
                    total += self.fragment_cost(selection.name.value, path)
            return total

        def field_cost(self, field: FieldNode, parent: GraphQLNamedType | None, path: Path) -> int:
            if field.selection_set is None:
                return 1
            fields = getattr(parent, "fields", None)  # object and interface types have fields
            definition = fields.get(field.name.value) if fields else None
            if definition is None:
                return 1 + self.selection_cost(field.selection_set, None, path)
            inner = get_named_type(definition.type)
            is_list = isinstance(_unwrapped(definition.type), GraphQLList)
            multiplier = 1
            is_connection = any(argument in definition.args for argument in PAGE_SIZE_ARGUMENTS)
            if is_connection:
                multiplier = self.page_size(field)
            elif is_list and inner is not parent and not path.in_connection:
                multiplier = PLAIN_LIST_SIZE
            back_reference = (
                not is_list
                and not is_connection
                and not path.in_edges
                and isinstance(inner, GraphQLObjectType)
                and inner.name in path.types
            )
            inner_path = path.enter(inner, back_reference=back_reference, connection=is_connection)
            if inner_path.back_references > MAX_BACK_REFERENCES:
                raise TooManyBackReferences(field)
            return 1 + multiplier * self.selection_cost(field.selection_set, inner, inner_path)

        def fragment_cost(self, name: str, path: Path) -> int:
            if name in path.fragments or name not in self.fragments:
                return 0
            key = (name, path)
            if key not in self.fragment_costs:
                fragment = self.fragments[name]
                condition = self.context.schema.get_type(fragment.type_condition.name.value)
                self.fragment_costs[key] = self.selection_cost(
                    fragment.selection_set, condition, path.expanding(name)
                )
            return self.fragment_costs[key]

    return QueryCost
