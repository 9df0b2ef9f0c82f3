package dev.rolebridge.internal.store;

import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The store's persistence unit, described in code. The filter jar has no {@code META-INF/persistence.xml},
 * so a full Jakarta EE server's JPA deployer never finds this unit, and it cannot collide with the
 * application's units: it lists its entity classes, excludes everything else, and is handed straight to
 * EclipseLink's provider.
 */
final class StorePersistenceUnit implements PersistenceUnitInfo {

    static final String NAME = "rolebridge";

    private static final List<String> ENTITIES = List.of(
            UserEntity.class.getName(),
            GroupEntity.class.getName(),
            RoleEntity.class.getName(),
            GroupRoleEntity.class.getName(),
            MembershipEntity.class.getName(),
            MappingRuleEntity.class.getName(),
            AuditEventEntity.class.getName(),
            LogoutEventEntity.class.getName(),
            ScimUserEntity.class.getName(),
            ScimGroupEntity.class.getName(),
            ScimGroupMemberEntity.class.getName(),
            SettingEntity.class.getName(),
            ScimTokenEntity.class.getName(),
            UnmappedGroupEntity.class.getName(),
            UtcMicros.AsMicros.class.getName());

    private final DataSource dataSource;

    private final ClassLoader classLoader;

    StorePersistenceUnit(DataSource dataSource) {
        this(dataSource, StorePersistenceUnit.class.getClassLoader());
    }

    /** With a class loader of its own (one that loads a server's EclipseLink; see {@code MembershipStore}). */
    StorePersistenceUnit(DataSource dataSource, ClassLoader classLoader) {
        this.classLoader = classLoader;
        this.dataSource = dataSource;
    }

    @Override
    public String getPersistenceUnitName() {
        return NAME;
    }

    @Override
    public String getPersistenceProviderClassName() {
        return org.eclipse.persistence.jpa.PersistenceProvider.class.getName();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
        return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return dataSource;
    }

    @Override
    public List<String> getMappingFileNames() {
        return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    /** Where the entity classes were loaded from; EclipseLink insists on a root, and finds no orm.xml there. */
    @Override
    public URL getPersistenceUnitRootUrl() {
        CodeSource source = StorePersistenceUnit.class.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    @Override
    public List<String> getManagedClassNames() {
        return ENTITIES;
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        return new Properties();
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "3.0";
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    /** Weaving is off, so nothing is ever transformed. */
    @Override
    public void addTransformer(ClassTransformer transformer) {}

    @Override
    public ClassLoader getNewTempClassLoader() {
        return getClassLoader();
    }
}
