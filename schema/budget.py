"""What one anonymous operation may spend while it runs: time and response size.

The cost rule (schema/cost.py) refuses documents whose estimated size is too large before
they run; this enforces the real sizes. The execution context (schema/execution.py) charges
every field it resolves with an estimate of the bytes it adds to the response (its key and,
for a leaf, its value) and checks the clock every few fields, so even CPU-bound work that
never awaits stops in time. Once the budget is spent every remaining field resolves to
nothing at once and the whole operation answers with one error: no partial data.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from graphql import GraphQLError

from cms.errors import ErrorCode, coded_extensions

# Reading the clock costs about as much as resolving a plain field: look every few fields.
FIELDS_PER_CLOCK_CHECK = 64
# A field's share of the JSON around it: quotes, colon, comma.
FIELD_OVERHEAD_BYTES = 4


def timeout_error(max_seconds: float) -> GraphQLError:
    return GraphQLError(
        f"The operation took longer than {max_seconds:g} seconds and was stopped: "
        "ask for fewer or smaller lists.",
        extensions=coded_extensions(ErrorCode.EXECUTION_TIMEOUT, {"maxSeconds": max_seconds}),
    )


def too_large_error(max_bytes: int) -> GraphQLError:
    return GraphQLError(
        f"The response would be larger than {max_bytes} bytes: "
        "ask for fewer or smaller lists, or page through them.",
        extensions=coded_extensions(ErrorCode.RESPONSE_TOO_LARGE, {"maxBytes": max_bytes}),
    )


@dataclass
class ExecutionBudget:
    """The time and response bytes left to one operation; ``error`` once either ran out."""

    max_seconds: float
    max_bytes: int
    clock: Callable[[], float] = time.monotonic
    error: GraphQLError | None = None
    spent_bytes: int = 0
    fields_since_clock_check: int = 0
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = self.clock() + self.max_seconds

    def charge(self, response_bytes: int) -> bool:
        """Count one field and its bytes; False once the budget is spent."""
        if self.error is not None:
            return False
        self.spent_bytes += response_bytes
        if self.spent_bytes > self.max_bytes:
            self.error = too_large_error(self.max_bytes)
            return False
        self.fields_since_clock_check += 1
        if self.fields_since_clock_check >= FIELDS_PER_CLOCK_CHECK:
            self.fields_since_clock_check = 0
            if self.clock() > self.deadline:
                self.error = timeout_error(self.max_seconds)
                return False
        return True

    def charge_value(self, value: object) -> None:
        """Add a leaf value's size (strings by length, the rest by a short estimate)."""
        self.spent_bytes += len(value) if isinstance(value, str) else FIELD_OVERHEAD_BYTES
