"""`marketbox seed`: tenants with a realistic history of orders on both marketplaces, in any volume."""
