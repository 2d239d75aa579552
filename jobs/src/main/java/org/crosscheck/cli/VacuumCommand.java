package org.crosscheck.cli;

import org.crosscheck.core.ExitCode;
import org.crosscheck.core.WarehouseVacuum;
import picocli.CommandLine.Command;

@Command(name = "vacuum", mixinStandardHelpOptions = true,
        description = {"Storage clean-up: VACUUM every Delta table under the warehouse with",
                "storage.vacuum_retention_hours (default 168 = 7 days; 0 = off) and delete *.part exports left by",
                "killed runs. Schedule it after the monthly run; re-running it is harmless."})
class VacuumCommand extends StageCommand {
    @Override
    boolean needsExistingWarehouse() {
        return false; // any warehouse may be cleaned, also one that holds only some of CrossCheck's tables
    }

    @Override
    String name() {
        return "vacuum";
    }

    @Override
    ExitCode execute(Context ctx) {
        WarehouseVacuum.Result r = WarehouseVacuum.run(ctx.spark(), ctx.config());
        System.out.printf("vacuumed %d table(s) (retention %d h); removed %d partial export(s)%n",
                r.tablesVacuumed().size(), ctx.config().storage().vacuumRetentionHours(), r.partialExportsRemoved().size());
        ctx.manifest().addRowCount("tables_vacuumed", r.tablesVacuumed().size());
        ctx.manifest().addRowCount("partial_exports_removed", r.partialExportsRemoved().size());
        return ExitCode.SUCCESS;
    }
}
