package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code RB_SETTING}: a setting an administrator changes at run time, by name. */
@Entity(name = "RbSetting")
@Table(name = "RB_SETTING")
class SettingEntity {

    @Id
    @Column(name = "NAME")
    String name;

    @Column(name = "SETTING_VALUE", nullable = false)
    String value;

    protected SettingEntity() {}

    SettingEntity(String name, String value) {
        this.name = name;
        this.value = value;
    }
}
