package org.elasticsearch.node;

import java.util.Collections;
import java.util.List;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * An Elasticsearch node built without a distribution: the server core plus the netty4 transport
 * (the only module published on Maven Central), loaded from the classpath. In this package because
 * NodeConstruction and NodeServiceProvider are package-private; their signatures are those of the
 * pinned version (9.5.x) and change between minors.
 */
public class ClasspathNode extends Node {
    public ClasspathNode(Settings settings) {
        super(NodeConstruction.prepareConstruction(
            new Environment(settings, null),
            PluginsLoader.createPluginsLoader(Collections.emptySet(), Collections.emptySet(), Collections.emptyMap(), false),
            new NodeServiceProvider() {
                @Override
                PluginsService newPluginService(Environment environment, PluginsLoader loader) {
                    return new ClasspathPluginsService(settings, loader, List.of(Netty4Plugin.class));
                }
            },
            true));
    }
}
