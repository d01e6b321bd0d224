"""The cost budget of an operation: a validation rule, so repeated documents are checked once
(the validation cache keeps the verdict).

Every field costs the product of the page sizes of the connections around it: asking for
``pages(first: 50) { edges { node { title } } }`` costs 1 + 1 * 50 * (1 + 1) = 101.
A page size given as a variable counts as the maximum page size (validation does not see
variable values); a connection without ``first``/``last`` counts its default page size.
"""

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    get_named_type,
)
from graphql.validation import ValidationRule

# The default page size of our connections (pages, comments) when neither first nor last is
# given; see schema/page/queries.py and schema/page/types.py.
DEFAULT_CONNECTION_SIZE = 20
PAGE_SIZE_ARGUMENTS = ("first", "last")


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
            self.fragment_costs: dict[str, int] = {}

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            cost = self.selection_cost(node.selection_set, root, frozenset())
            if cost > max_cost:
                name = f"'{node.name.value}' " if node.name else ""
                self.report_error(
                    GraphQLError(
                        f"Operation {name}costs {cost}, more than the budget of {max_cost}: "
                        "ask for smaller pages or fewer fields.",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": max_cost},
                    )
                )

        def page_size(self, field: FieldNode) -> int:
            for argument in field.arguments or ():
                if argument.name.value in PAGE_SIZE_ARGUMENTS:
                    if isinstance(argument.value, IntValueNode):
                        return max(int(argument.value.value), 0)
                    if isinstance(argument.value, VariableNode):
                        return max_page_size
            return DEFAULT_CONNECTION_SIZE

        def selection_cost(
            self,
            selection_set: SelectionSetNode,
            parent: GraphQLNamedType | None,
            visiting: frozenset[str],
        ) -> int:
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    total += self.field_cost(selection, parent, visiting)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    inner = (
                        self.context.schema.get_type(condition.name.value) if condition else parent
                    )
                    total += self.selection_cost(selection.selection_set, inner, visiting)
                elif isinstance(selection, FragmentSpreadNode):
                    total += self.fragment_cost(selection.name.value, visiting)
            return total

        def field_cost(
            self, field: FieldNode, parent: GraphQLNamedType | None, visiting: frozenset[str]
        ) -> int:
            if field.selection_set is None:
                return 1
            fields = getattr(parent, "fields", None)  # object and interface types have fields
            definition = fields.get(field.name.value) if fields else None
            inner = get_named_type(definition.type) if definition else None
            multiplier = 1
            if definition is not None and any(a in definition.args for a in PAGE_SIZE_ARGUMENTS):
                multiplier = self.page_size(field)
            return 1 + multiplier * self.selection_cost(field.selection_set, inner, visiting)

        def fragment_cost(self, name: str, visiting: frozenset[str]) -> int:
            # Cycles are reported by graphql-core's NoFragmentCycles rule; cost is linear in
            # the multiplier, so a fragment's own cost is computed once.
            if name in visiting or name not in self.fragments:
                return 0
            if name not in self.fragment_costs:
                fragment = self.fragments[name]
                condition = self.context.schema.get_type(fragment.type_condition.name.value)
                self.fragment_costs[name] = self.selection_cost(
                    fragment.selection_set, condition, visiting | {name}
                )
            return self.fragment_costs[name]

    return QueryCost
