"""Entity resolution: pure domain logic that ties what sources print to our keys (bioguide ids)."""

from stockyard.resolve.members import MemberResolver, Resolution

__all__ = ["MemberResolver", "Resolution"]
