"""The sandbox control plane: tenants, world events and the virtual clock. Never on marketplace paths."""
