package org.crosscheck.generate;

import java.time.LocalDateTime;

/**
 * One row of a civil registry extract, with dates already written as the registry writes them
 * ({@code yyyyMMdd}, {@code yyyyMM} for month-only deaths, {@code yyyy} for year-only ones).
 *
 * @param statusCode 0 alive, 1 deceased, 2 death record cancelled
 */
record RegistryRecord(String nationalId, String name, String sexCode, String birth, String death, String statusCode,
                      String region, LocalDateTime updatedAt) {

    static RegistryRecord alive(Person p, LocalDateTime updatedAt) {
        return new RegistryRecord(p.nationalId(), p.name(), p.sexCode(), FieldText.compact(p.birth()), "", "0",
                p.region(), updatedAt);
    }

    static RegistryRecord deceased(Person p, String death, LocalDateTime updatedAt) {
        return new RegistryRecord(p.nationalId(), p.name(), p.sexCode(), FieldText.compact(p.birth()), death, "1",
                p.region(), updatedAt);
    }

    RegistryRecord cancelled(LocalDateTime at) {
        return new RegistryRecord(nationalId, name, sexCode, birth, death, "2", region, at);
    }

    RegistryRecord withBirth(String otherBirth) {
        return new RegistryRecord(nationalId, name, sexCode, otherBirth, death, statusCode, region, updatedAt);
    }

    RegistryRecord withSex(String otherSex) {
        return new RegistryRecord(nationalId, name, otherSex, birth, death, statusCode, region, updatedAt);
    }

    RegistryRecord withDeath(String otherDeath) {
        return new RegistryRecord(nationalId, name, sexCode, birth, otherDeath, statusCode, region, updatedAt);
    }
}
