package org.elasticsearch.plugins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.elasticsearch.Version;
import org.elasticsearch.common.settings.Settings;

/**
 * A plugins service that loads plugin classes found on the classpath instead of plugin bundles in a
 * distribution's modules/ and plugins/ folders (the pattern of Elasticsearch's own MockPluginsService).
 * Lives in this package because PluginsService's loading helpers are package-private.
 */
public class ClasspathPluginsService extends PluginsService {
    private final List<LoadedPlugin> plugins;

    public ClasspathPluginsService(Settings settings, PluginsLoader loader, Collection<Class<? extends Plugin>> pluginClasses) {
        super(settings, null, loader);
        plugins = new ArrayList<>(pluginClasses.size());
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            Plugin plugin = loadPlugin(pluginClass, settings, null);
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getName(),
                "classpath plugin",
                "NA",
                Version.CURRENT.toString(),
                Runtime.version().feature() + "",
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false,
                PluginDescriptor.DeploymentTarget.ALL);
            plugins.add(new LoadedPlugin(descriptor, plugin, Thread.currentThread().getContextClassLoader()));
        }
        loadExtensions(plugins);
    }

    @Override
    protected final List<LoadedPlugin> plugins() {
        return plugins;
    }
}
