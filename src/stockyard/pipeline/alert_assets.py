"""After each publish: what it owes the follows, planned and delivered."""

import dagster as dg

from stockyard.alerts.service import run_alerts, store_for
from stockyard.pipeline.runtime import Runtime
from stockyard.warehouse import serving
from stockyard.warehouse.queries import open_readonly


def alert_deliveries_asset(published_marts: dg.AssetsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        group_name="alerts",
        deps=[published_marts],
        required_resource_keys={"runtime"},
        kinds={"sqlite"},
    )
    def alert_deliveries(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        """New and amended trades of each publish, sent to the follows they match (webhooks,
        mail). A receiver that fails goes to the dead-letter list; it never fails the run."""
        rt: Runtime = context.resources.runtime
        # The snapshot the publish just wrote: what readers see is what follows are told.
        con = open_readonly(serving.served_path(rt.settings.resolved_warehouse_path))
        try:
            done = run_alerts(store_for(rt.settings), con, rt.settings)
        finally:
            con.close()
        for delivery_id, why in done.report.failures.items():
            context.log.warning(f"delivery {delivery_id} dead-lettered: {why}")
        return dg.MaterializeResult(
            metadata={
                "publishes": len(done.plan.publishes),
                "deliveries_planned": done.plan.deliveries,
                "trades_owed": done.plan.events,
                "delivered": done.report.delivered,
                "dead_lettered": done.report.dead,
            }
        )

    return alert_deliveries
