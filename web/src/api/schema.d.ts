// Generated from openapi.json by scripts/gen-api.mjs: do not edit (docs/dashboard.md).
export type paths = {
    "/api/admin/excluded-namespaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_excluded_namespaces"];
        put?: never;
        post: operations["post_api_admin_excluded_namespaces"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/excluded-namespaces/{namespace}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_api_admin_excluded_namespaces_namespace"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/excluded-pods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_excluded_pods"];
        put?: never;
        post: operations["post_api_admin_excluded_pods"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/excluded-pods/{pod_name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_api_admin_excluded_pods_pod_name"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/llm/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_admin_llm_config"];
        delete: operations["delete_api_admin_llm_config"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/llm/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_llm_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/llm/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_admin_llm_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_notifications"];
        put?: never;
        post: operations["post_api_admin_notifications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/notifications/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["put_api_admin_notifications_provider"];
        post?: never;
        delete: operations["delete_api_admin_notifications_provider"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/notifications/{provider}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_admin_notifications_provider_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/settings/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_settings_key"];
        put?: never;
        post: operations["post_api_admin_settings_key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/settings/mirror-ttl": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_settings_mirror_ttl"];
        put: operations["put_api_admin_settings_mirror_ttl"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_admin_users"];
        put?: never;
        post: operations["post_api_admin_users"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_api_admin_users_user_id"];
        options?: never;
        head?: never;
        patch: operations["patch_api_admin_users_user_id"];
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_auth_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_auth_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_auth_signup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_auth_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_config"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagram/clusterrole/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_diagram_clusterrole_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagram/manifest/{namespace}/{kind}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_diagram_manifest_namespace_kind_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagram/namespace/{namespace}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_diagram_namespace_namespace"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagram/namespaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_diagram_namespaces"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagram/role/{namespace}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_diagram_role_namespace_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagram/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_diagram_roles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagram/workload/{namespace}/{kind}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_diagram_workload_namespace_kind_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/metrics/security-scan-duration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_metrics_security_scan_duration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mirror/{mirror_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_api_mirror_mirror_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mirror/active": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_mirror_active"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mirror/deploy/{pod_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_mirror_deploy_pod_id"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mirror/preview/{pod_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_mirror_preview_pod_id"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mirror/status/{mirror_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_mirror_status_mirror_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/{namespace}/{pod_name}/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_namespace_pod_name_access"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/{namespace}/{pod_name}/impact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_namespace_pod_name_impact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/{namespace}/{pod_name}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_namespace_pod_name_logs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/{namespace}/{pod_name}/logs/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_namespace_pod_name_logs_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/{pod_id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["put_api_pods_pod_id_status"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/dismiss-deleted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_pods_dismiss_deleted"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_failed"];
        put?: never;
        post: operations["post_api_pods_failed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/failed/{pod_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_failed_pod_id"];
        put?: never;
        post?: never;
        delete: operations["delete_api_pods_failed_pod_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/failed/{pod_id}/retry-solution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_pods_failed_pod_id_retry_solution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/ignored": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_pods_ignored"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/ignored/{pod_id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["put_api_pods_ignored_pod_id_restore"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pods/reasons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Records per failure reason in one of the three lists, for the dashboard's filter (docs/api-decisions.md). */
        get: operations["get_api_pods_reasons"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_security_findings"];
        put?: never;
        post: operations["post_api_security_findings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/findings/{finding_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_api_security_findings_finding_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/findings/{finding_id}/fix": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_security_findings_finding_id_fix"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/findings/{finding_id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["put_api_security_findings_finding_id_restore"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/findings/resource/{resource_type}/{namespace}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_api_security_findings_resource_resource_type_namespace_name"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/rescan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_security_rescan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/rescan-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_security_rescan_status"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/scan/clear": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["post_api_security_scan_clear"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/trusted-registries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_api_security_trusted_registries"];
        put?: never;
        post: operations["post_api_security_trusted_registries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/security/trusted-registries/{registry}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_api_security_trusted_registries_registry"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        /** AccessPod */
        AccessPod: {
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /** Node */
            node: string | null;
            /** Service Account */
            service_account: string | null;
        };
        /** AccessSummary */
        AccessSummary: {
            /** Broad */
            broad: components["schemas"]["BroadGrant"][];
            /** By Action */
            by_action: {
                [key: string]: number;
            };
            /** Dangling Bindings */
            dangling_bindings: number;
            /** Subjects */
            subjects: number;
            /** Worst */
            worst: components["schemas"]["WorstGrant"][];
        };
        /** AccountImpact */
        AccountImpact: {
            /** Dangers */
            dangers: ("wildcard" | "read-secrets" | "exec" | "create-pods" | "bind-escalate" | "impersonate" | "token-request")[];
            /** Exists */
            exists: boolean;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string | null;
            /** Permissions */
            permissions: components["schemas"]["AccountPermission"][];
            /** Token Mounted */
            token_mounted: boolean;
        };
        /** AccountPermission */
        AccountPermission: {
            /** Api Group */
            api_group: string | null;
            binding: components["schemas"]["ObjectRef"];
            /** Dangers */
            dangers: ("wildcard" | "read-secrets" | "exec" | "create-pods" | "bind-escalate" | "impersonate" | "token-request")[];
            /** Non Resource Url */
            non_resource_url: string | null;
            /** Resource */
            resource: string | null;
            /** Resource Names */
            resource_names: string[];
            role: components["schemas"]["ObjectRef"];
            /** Scope */
            scope: string;
            /** Verbs */
            verbs: string[];
            /** Via */
            via: string;
        };
        /** AccountSummary */
        AccountSummary: {
            /** Dangers */
            dangers: ("wildcard" | "read-secrets" | "exec" | "create-pods" | "bind-escalate" | "impersonate" | "token-request")[];
            /** Name */
            name: string;
            /** Token Mounted */
            token_mounted: boolean;
        };
        /** ActionAccess */
        ActionAccess: {
            /**
             * Action
             * @enum {string}
             */
            action: "exec" | "attach" | "debug" | "port-forward" | "logs" | "delete" | "patch" | "patch-controller" | "read-secret" | "read-configmap" | "impersonate-serviceaccount" | "serviceaccount-token" | "create-pods";
            /** Meaning */
            meaning: string;
            /** Requests */
            requests: components["schemas"]["Request"][];
            /**
             * Severity
             * @enum {string}
             */
            severity: "high" | "medium" | "low";
            /** Subjects */
            subjects: components["schemas"]["Subject"][];
            target: components["schemas"]["Target"];
        };
        /** AppConfig */
        AppConfig: {
            /** Ai Enabled */
            ai_enabled: boolean;
            /** Ai Model */
            ai_model: string | null;
            /** Ai Provider */
            ai_provider: string | null;
            /**
             * Cluster Mode
             * @description Which cluster Kure watches: `real` (a kubeconfig or in-cluster configuration), `simulated` (the simulated cluster of `kure-monitor demo`) or `off` (KURE_KUBERNETES=off, or no cluster configuration found). docs/api-decisions.md.
             * @enum {string}
             */
            cluster_mode: "real" | "simulated" | "off";
            /** Graph Enabled */
            graph_enabled: boolean;
            /** Graph Sync */
            graph_sync: {
                [key: string]: unknown;
            };
            /** Kubernetes Connected */
            kubernetes_connected: boolean;
            settings: components["schemas"]["SettingsValues"];
            /** Version */
            version: string;
        };
        /** AuthStatus */
        AuthStatus: {
            /** Authenticated */
            authenticated: boolean;
            /** Setup Required */
            setup_required: boolean;
            user: components["schemas"]["UserRef"] | null;
        };
        /** Autoscaler */
        Autoscaler: {
            /** Current Replicas */
            current_replicas: number | null;
            /** Desired Replicas */
            desired_replicas: number | null;
            /** Max Replicas */
            max_replicas: number | null;
            /** Min Replicas */
            min_replicas: number | null;
            /** Name */
            name: string;
            target: components["schemas"]["ScaleTarget"];
        };
        /** Availability */
        Availability: {
            /** Desired */
            desired: number | null;
            /** Kind */
            kind: string;
            /** Name */
            name: string;
            /** Ready */
            ready: number | null;
            /**
             * State
             * @enum {string}
             */
            state: "down" | "degraded" | "healthy" | "scaled-to-zero" | "batch";
        };
        /**
         * BlastRadiusChange
         * @description docs/mirror.md#what-a-mirror-changes
         */
        BlastRadiusChange: {
            /** Autoscalers Left */
            autoscalers_left: string[];
            /** Controllers Left */
            controllers_left: components["schemas"]["ObjectName"][];
            egress_isolated: components["schemas"]["IsolationChange"];
            ingress_isolated: components["schemas"]["IsolationChange"];
            /** Isolation Lost */
            isolation_lost: components["schemas"]["IsolationLost"][];
            /** Mirror Labels */
            mirror_labels: {
                [key: string]: string;
            };
            /** Network Policies Joined */
            network_policies_joined: string[];
            /** Network Policies Kept */
            network_policies_kept: string[];
            /** Network Policies Left */
            network_policies_left: string[];
            /** Read Write Once Claims */
            read_write_once_claims: string[];
            service_account: components["schemas"]["AccountSummary"] | null;
            /** Services Joined */
            services_joined: string[];
            /** Services Left */
            services_left: string[];
            /** Shared Mounts */
            shared_mounts: components["schemas"]["ObjectName"][];
            /** Source Labels */
            source_labels: {
                [key: string]: string;
            };
        };
        /** BroadGrant */
        BroadGrant: {
            /** Actions */
            actions: ("exec" | "attach" | "debug" | "port-forward" | "logs" | "delete" | "patch" | "patch-controller" | "read-secret" | "read-configmap" | "impersonate-serviceaccount" | "serviceaccount-token" | "create-pods")[];
            /** Group */
            group: string;
        };
        /** ClearResponse */
        ClearResponse: {
            /** Pending */
            pending: number;
        };
        /** ClusterRoleName */
        ClusterRoleName: {
            /** Name */
            name: string;
        };
        /** ContainerStatus */
        ContainerStatus: {
            /** Exit Code */
            exit_code: number | null;
            /** Image */
            image: string;
            /** Message */
            message: string | null;
            /** Name */
            name: string;
            /** Ready */
            ready: boolean;
            /** Reason */
            reason: string | null;
            /** Restart Count */
            restart_count: number;
            /** State */
            state: string;
        };
        /** ContainerStatusIn */
        ContainerStatusIn: {
            /**
             * Exit Code
             * @default null
             */
            exit_code: number | null;
            /**
             * Image
             * @default
             */
            image: string;
            /**
             * Message
             * @default null
             */
            message: string | null;
            /** Name */
            name: string;
            /**
             * Ready
             * @default false
             */
            ready: boolean;
            /**
             * Reason
             * @default null
             */
            reason: string | null;
            /**
             * Restart Count
             * @default 0
             */
            restart_count: number;
            /**
             * State
             * @default
             */
            state: string;
        };
        /** ControllerSummary */
        ControllerSummary: {
            /** Desired */
            desired: number | null;
            /** Kind */
            kind: string;
            /** Name */
            name: string;
            /** Ready */
            ready: number | null;
        };
        /** DanglingBinding */
        DanglingBinding: {
            binding: components["schemas"]["ObjectRef"];
            role: components["schemas"]["ObjectRef"];
            /** Subjects */
            subjects: components["schemas"]["SubjectRef"][];
        };
        /** DeletedCount */
        DeletedCount: {
            /** Deleted */
            deleted: number;
        };
        /** DiagramEdge */
        DiagramEdge: {
            /** Id */
            id: string;
            /** Kind */
            kind: string;
            /** Source */
            source: string;
            /** Target */
            target: string;
        };
        /** DiagramGraph */
        DiagramGraph: {
            /** Edges */
            edges: components["schemas"]["DiagramEdge"][];
            /** Groups */
            groups: components["schemas"]["DiagramGroup"][];
            /** Nodes */
            nodes: components["schemas"]["DiagramNode"][];
        };
        /** DiagramGroup */
        DiagramGroup: {
            /** Id */
            id: string;
            /** Label */
            label: string;
            /** Members */
            members: string[];
        };
        /** DiagramNode */
        DiagramNode: {
            /** Group */
            group: string | null;
            /** Id */
            id: string;
            /** Kind */
            kind: string;
            /** Metadata */
            metadata: {
                [key: string]: unknown;
            };
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /** Status */
            status: string | null;
        };
        /** DismissDeletedResult */
        DismissDeletedResult: {
            /** Resolved */
            resolved: number;
        };
        /** ErrorBody */
        ErrorBody: {
            /** @description What went wrong, in words */
            detail: string;
            /** @description 500 only: equals the X-Request-ID header */
            request_id?: string;
        };
        /** Event */
        Event: {
            /** Count */
            count: number | null;
            /** Message */
            message: string | null;
            /** Reason */
            reason: string | null;
            /** Timestamp */
            timestamp: string | null;
            /** Type */
            type: string | null;
        };
        /** EventIn */
        EventIn: {
            /**
             * Count
             * @default null
             */
            count: number | null;
            /**
             * Message
             * @default null
             */
            message: string | null;
            /**
             * Reason
             * @default null
             */
            reason: string | null;
            /**
             * Timestamp
             * @default null
             */
            timestamp: string | null;
            /**
             * Type
             * @default null
             */
            type: string | null;
        };
        /** ExcludedNamespace */
        ExcludedNamespace: {
            /** Created At */
            created_at: string;
            /** Id */
            id: number;
            /** Namespace */
            namespace: string;
        };
        /** ExcludedPod */
        ExcludedPod: {
            /** Created At */
            created_at: string;
            /** Id */
            id: number;
            /** Namespace */
            namespace: string | null;
            /** Pod Name */
            pod_name: string;
        };
        /** ExcludedReport */
        ExcludedReport: {
            /** Detail */
            detail: string;
            /**
             * Excluded
             * @constant
             */
            excluded: true;
        };
        /** Finding */
        Finding: {
            /** Check Name */
            check_name: string;
            /** Details */
            details: {
                [key: string]: unknown;
            };
            /** Dismissed */
            dismissed: boolean;
            /** Dismissed At */
            dismissed_at: string | null;
            /** First Seen */
            first_seen: string;
            /** Has Manifest */
            has_manifest: boolean;
            /** Id */
            id: number;
            /** Last Seen */
            last_seen: string;
            /** Message */
            message: string;
            /** Namespace */
            namespace: string;
            /** Remediation */
            remediation: string;
            /** Resource Name */
            resource_name: string;
            /** Resource Type */
            resource_type: string;
            /**
             * Severity
             * @enum {string}
             */
            severity: "critical" | "high" | "medium" | "low" | "info";
        };
        /** FixResponse */
        FixResponse: {
            /** Explanation */
            explanation: string;
            /** Finding Id */
            finding_id: number;
            /** Fixed Manifest */
            fixed_manifest: string;
            /** Is Fallback */
            is_fallback: boolean;
        };
        /** Grant */
        Grant: {
            /** Path */
            path: number;
            /** Verb */
            verb: string;
            /** Wildcard */
            wildcard: boolean;
        };
        /**
         * GrantingPath
         * @description How a grant comes about: binding → role → rule for RBAC; for another authorizer only its explanation.
         */
        GrantingPath: {
            /**
             * Authorizer
             * @enum {string}
             */
            authorizer: "RBAC" | "Node" | "privileged group";
            binding: components["schemas"]["ObjectRef"] | null;
            /** Explanation */
            explanation: string;
            role: components["schemas"]["RoleRef"] | null;
            rule: components["schemas"]["Rule"] | null;
        };
        /** HealthChecks */
        HealthChecks: {
            /**
             * Kubernetes
             * @enum {string}
             */
            kubernetes: "ok" | "down" | "disabled";
            /**
             * Mongodb
             * @enum {string}
             */
            mongodb: "ok" | "down";
            /**
             * Neo4J
             * @enum {string}
             */
            neo4j: "ok" | "down" | "disabled";
        };
        /** HealthResponse */
        HealthResponse: {
            checks: components["schemas"]["HealthChecks"];
            /**
             * Status
             * @enum {string}
             */
            status: "ok" | "unavailable";
        };
        /** ImpactPod */
        ImpactPod: {
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /** Node */
            node: string | null;
            /** Phase */
            phase: string | null;
            /** Ready */
            ready: boolean;
            /** Restarts */
            restarts: number;
            /** Status */
            status: string | null;
        };
        /** ImpactSummary */
        ImpactSummary: {
            /** Autoscalers */
            autoscalers: number;
            controller: components["schemas"]["ControllerSummary"] | null;
            /** Ingresses */
            ingresses: components["schemas"]["IngressSummary"][];
            /** Ingresses Total */
            ingresses_total: number;
            /** Network Policies */
            network_policies: number;
            service_account: components["schemas"]["AccountSummary"] | null;
            /** Services */
            services: components["schemas"]["ServiceSummary"][];
            /** Services Total */
            services_total: number;
            /** Shared Mounts */
            shared_mounts: number;
            /**
             * State
             * @enum {string}
             */
            state: "down" | "degraded" | "healthy" | "scaled-to-zero" | "batch";
        };
        /** IngressRoute */
        IngressRoute: {
            /** Hosts */
            hosts: string[];
            /** Ingress Class */
            ingress_class: string | null;
            /** Name */
            name: string;
            /** Paths */
            paths: string[];
        };
        /** IngressSummary */
        IngressSummary: {
            /** Hosts */
            hosts: string[];
            /** Name */
            name: string;
        };
        /** IsolationChange */
        IsolationChange: {
            /** Mirror */
            mirror: boolean;
            /** Source */
            source: boolean;
        };
        /** IsolationLost */
        IsolationLost: {
            /**
             * Direction
             * @enum {string}
             */
            direction: "Ingress" | "Egress";
            /** Policies */
            policies: string[];
        };
        /** LlmStatus */
        LlmStatus: {
            /** Base Url */
            base_url: string | null;
            /** Configured */
            configured: boolean;
            /** Key Hint */
            key_hint: string | null;
            /** Model */
            model: string | null;
            /** Provider */
            provider: string | null;
        };
        /** LlmTestResult */
        LlmTestResult: {
            /** Latency Ms */
            latency_ms: number;
            /** Message */
            message: string;
            /** Success */
            success: boolean;
        };
        /** Manifest */
        Manifest: {
            /** Kind */
            kind: string;
            /** Manifest */
            manifest: string;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
        };
        /** Mirror */
        Mirror: {
            /** Created At */
            created_at: string;
            /** Expires At */
            expires_at: string;
            /** Explanation */
            explanation: string;
            /** Fixed Manifest */
            fixed_manifest: string;
            /** Is Fallback */
            is_fallback: boolean;
            /** Mirror Id */
            mirror_id: string;
            /** Mirror Pod Name */
            mirror_pod_name: string;
            /** Namespace */
            namespace: string;
            /** Pod Failure Id */
            pod_failure_id: number;
            /** Source Pod Name */
            source_pod_name: string;
            /**
             * Status
             * @enum {string}
             */
            status: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
            /** Ttl Seconds */
            ttl_seconds: number;
        };
        /**
         * MirrorDelta
         * @description What deploying the proposal would change (docs/api.md#previewing-a-fix).
         */
        MirrorDelta: {
            blast_radius: components["schemas"]["BlastRadiusChange"] | null;
            /** Can Do More */
            can_do_more: string[];
            /** Changes */
            changes: string[];
            /** Refused */
            refused: string[];
        };
        /** MirrorStatus */
        MirrorStatus: {
            /** Conditions */
            conditions: components["schemas"]["PodCondition"][];
            /** Container Statuses */
            container_statuses: components["schemas"]["ContainerStatus"][];
            /** Created At */
            created_at: string;
            /** Events */
            events: components["schemas"]["Event"][];
            /** Expires At */
            expires_at: string;
            /** Is Fallback */
            is_fallback: boolean;
            /** Mirror Id */
            mirror_id: string;
            /** Mirror Pod Name */
            mirror_pod_name: string;
            /** Namespace */
            namespace: string;
            /** Pod Failure Id */
            pod_failure_id: number;
            /** Source Pod Name */
            source_pod_name: string;
            /**
             * Status
             * @enum {string}
             */
            status: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
            /** Ttl Seconds */
            ttl_seconds: number;
        };
        /** MirrorSummary */
        MirrorSummary: {
            /** Created At */
            created_at: string;
            /** Expires At */
            expires_at: string;
            /** Is Fallback */
            is_fallback: boolean;
            /** Mirror Id */
            mirror_id: string;
            /** Mirror Pod Name */
            mirror_pod_name: string;
            /** Namespace */
            namespace: string;
            /** Pod Failure Id */
            pod_failure_id: number;
            /** Source Pod Name */
            source_pod_name: string;
            /**
             * Status
             * @enum {string}
             */
            status: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
            /** Ttl Seconds */
            ttl_seconds: number;
        };
        /** MirrorTtl */
        MirrorTtl: {
            /** Seconds */
            seconds: number;
        };
        /** Mount */
        Mount: {
            /** Exists */
            exists: boolean | null;
            /**
             * Kind
             * @enum {string}
             */
            kind: "ConfigMap" | "Secret" | "PersistentVolumeClaim";
            /** Name */
            name: string;
            shared_with: components["schemas"]["Sharing"];
            /** Via */
            via: string[];
        };
        /** NamespaceList */
        NamespaceList: {
            /** Namespaces */
            namespaces: string[];
        };
        /** NotificationConfigIn */
        NotificationConfigIn: {
            /**
             * Secret
             * @default null
             */
            secret: string | null;
            /** Webhook Url */
            webhook_url: string;
        };
        /** NotificationSetting */
        NotificationSetting: {
            /** Config */
            config: {
                [key: string]: unknown;
            };
            /** Created At */
            created_at: string;
            /** Enabled */
            enabled: boolean;
            /** Events */
            events: ("pod_failure" | "pod_resolved" | "security_finding")[];
            /**
             * Min Severity
             * @enum {string}
             */
            min_severity: "critical" | "high" | "medium" | "low" | "info";
            /**
             * Provider
             * @enum {string}
             */
            provider: "slack" | "teams" | "discord" | "webhook";
            /** Updated At */
            updated_at: string;
        };
        /** ObjectName */
        ObjectName: {
            /** Kind */
            kind: string;
            /** Name */
            name: string;
        };
        /** ObjectRef */
        ObjectRef: {
            /** Kind */
            kind: string;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string | null;
        };
        /** Owner */
        Owner: {
            /** Exists */
            exists: boolean;
            /** Kind */
            kind: string;
            /** Name */
            name: string;
            /** Status */
            status: string | null;
        };
        /** PodAccess */
        PodAccess: {
            /** Actions */
            actions: components["schemas"]["ActionAccess"][];
            /** Dangling Bindings */
            dangling_bindings: components["schemas"]["DanglingBinding"][];
            /** Paths */
            paths: components["schemas"]["GrantingPath"][];
            pod: components["schemas"]["AccessPod"];
            summary: components["schemas"]["AccessSummary"];
        };
        /** PodCondition */
        PodCondition: {
            /** Last Transition Time */
            last_transition_time: string | null;
            /** Message */
            message: string | null;
            /** Reason */
            reason: string | null;
            /** Status */
            status: string | null;
            /** Type */
            type: string | null;
        };
        /** PodFailure */
        PodFailure: {
            access: components["schemas"]["AccessSummary"] | null;
            /** Container Statuses */
            container_statuses: components["schemas"]["ContainerStatus"][];
            /** Creation Timestamp */
            creation_timestamp: string | null;
            /** Events */
            events: components["schemas"]["Event"][];
            /** Failure Message */
            failure_message: string;
            /** Failure Reason */
            failure_reason: string;
            /** First Seen */
            first_seen: string;
            /** Id */
            id: number;
            /** Ignored At */
            ignored_at: string | null;
            impact: components["schemas"]["ImpactSummary"] | null;
            /** Labels */
            labels: {
                [key: string]: string;
            };
            /** Last Seen */
            last_seen: string;
            /** Logs */
            logs: string;
            /** Manifest */
            manifest: string;
            /** Namespace */
            namespace: string;
            /** Node Name */
            node_name: string | null;
            /** Occurrences */
            occurrences: number;
            /** Owner Kind */
            owner_kind: string | null;
            /** Owner Name */
            owner_name: string | null;
            /** Phase */
            phase: string | null;
            /** Pod Name */
            pod_name: string;
            /** Resolution Note */
            resolution_note: string | null;
            /** Resolved At */
            resolved_at: string | null;
            /** Solution */
            solution: string;
            /**
             * Solution Source
             * @enum {string}
             */
            solution_source: "rules" | "ai";
            /**
             * Status
             * @enum {string}
             */
            status: "new" | "investigating" | "resolved" | "ignored";
            /** Timestamp */
            timestamp: string;
        };
        /** PodFailureSummary */
        PodFailureSummary: {
            /** Container Statuses */
            container_statuses: components["schemas"]["ContainerStatus"][];
            /** Creation Timestamp */
            creation_timestamp: string | null;
            /** Events */
            events: components["schemas"]["Event"][];
            /** Failure Message */
            failure_message: string;
            /** Failure Reason */
            failure_reason: string;
            /** First Seen */
            first_seen: string;
            /** Id */
            id: number;
            /** Ignored At */
            ignored_at: string | null;
            /** Labels */
            labels: {
                [key: string]: string;
            };
            /** Last Seen */
            last_seen: string;
            /** Namespace */
            namespace: string;
            /** Node Name */
            node_name: string | null;
            /** Occurrences */
            occurrences: number;
            /** Owner Kind */
            owner_kind: string | null;
            /** Owner Name */
            owner_name: string | null;
            /** Phase */
            phase: string | null;
            /** Pod Name */
            pod_name: string;
            /** Resolution Note */
            resolution_note: string | null;
            /** Resolved At */
            resolved_at: string | null;
            /** Solution */
            solution: string;
            /**
             * Solution Source
             * @enum {string}
             */
            solution_source: "rules" | "ai";
            /**
             * Status
             * @enum {string}
             */
            status: "new" | "investigating" | "resolved" | "ignored";
            /** Timestamp */
            timestamp: string;
        };
        /** PodImpact */
        PodImpact: {
            /** Autoscalers */
            autoscalers: components["schemas"]["Autoscaler"][];
            availability: components["schemas"]["Availability"];
            /** Mounts */
            mounts: components["schemas"]["Mount"][];
            /** Network Policies */
            network_policies: components["schemas"]["PolicyImpact"][];
            /** Owners */
            owners: components["schemas"]["Owner"][];
            pod: components["schemas"]["ImpactPod"];
            service_account: components["schemas"]["AccountImpact"] | null;
            /** Services */
            services: components["schemas"]["ServiceImpact"][];
            summary: components["schemas"]["ImpactSummary"];
        };
        /** PodLogs */
        PodLogs: {
            /** Container */
            container: string;
            /** Containers */
            containers: string[];
            /** Logs */
            logs: string;
            /** Namespace */
            namespace: string;
            /** Pod Name */
            pod_name: string;
        };
        /** PolicyImpact */
        PolicyImpact: {
            /** Egress Rules */
            egress_rules: number;
            /** Ingress Rules */
            ingress_rules: number;
            /** Name */
            name: string;
            /** Pod Selector */
            pod_selector: string;
            /** Policy Types */
            policy_types: string[];
        };
        /** Preview */
        Preview: {
            delta: components["schemas"]["MirrorDelta"];
            /** Explanation */
            explanation: string;
            /** Fixed Manifest */
            fixed_manifest: string;
            /** Is Fallback */
            is_fallback: boolean;
        };
        /** ReasonCount */
        ReasonCount: {
            /** Count */
            count: number;
            /** Reason */
            reason: string;
        };
        /** ReportExcluded */
        ReportExcluded: {
            /** Detail */
            detail: string;
            /** Excluded */
            excluded: boolean;
        };
        /** Request */
        Request: {
            /** Api Group */
            api_group: string;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /** Resource */
            resource: string;
            /** Verb */
            verb: string;
        };
        /** RescanRequested */
        RescanRequested: {
            /** Requested */
            requested: boolean;
        };
        /** RoleList */
        RoleList: {
            /** Cluster Roles */
            cluster_roles: components["schemas"]["ClusterRoleName"][];
            /** Roles */
            roles: components["schemas"]["RoleName"][];
        };
        /** RoleName */
        RoleName: {
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
        };
        /** RoleRef */
        RoleRef: {
            /** Aggregated From */
            aggregated_from: string[];
            /** Kind */
            kind: string;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string | null;
        };
        /** Rule */
        Rule: {
            /** Api Group */
            api_group: string;
            /** Resource */
            resource: string;
            /** Resource Names */
            resource_names: string[];
            /** Verbs */
            verbs: string[];
        };
        /** ScaleTarget */
        ScaleTarget: {
            /** Kind */
            kind: string;
            /** Name */
            name: string;
        };
        /** ServiceImpact */
        ServiceImpact: {
            /**
             * Counted From
             * @enum {string}
             */
            counted_from: "endpointslices" | "pods";
            /** Endpoints */
            endpoints: number;
            /** Exposed */
            exposed: boolean;
            /** Ingresses */
            ingresses: components["schemas"]["IngressRoute"][];
            /** Name */
            name: string;
            /** Pods */
            pods: number;
            /** Ports */
            ports: string[];
            /** Ready Endpoints */
            ready_endpoints: number;
            /** Ready Pods */
            ready_pods: number;
            /**
             * State
             * @enum {string}
             */
            state: "down" | "degraded" | "healthy" | "scaled-to-zero" | "batch";
            /** Type */
            type: string;
        };
        /** ServiceSummary */
        ServiceSummary: {
            /** Endpoints */
            endpoints: number;
            /** Exposed */
            exposed: boolean;
            /** Name */
            name: string;
            /** Ready Endpoints */
            ready_endpoints: number;
            /**
             * State
             * @enum {string}
             */
            state: "down" | "degraded" | "healthy" | "scaled-to-zero" | "batch";
        };
        /** Setting */
        Setting: {
            /** Key */
            key: string;
            /** Value */
            value: number;
        };
        /** SettingInfo */
        SettingInfo: {
            /** Default */
            default: number;
            /** Key */
            key: string;
            /** Max */
            max: number;
            /** Min */
            min: number;
            /** Value */
            value: number;
        };
        /** SettingsValues */
        SettingsValues: {
            /** History Retention Minutes */
            history_retention_minutes: number;
            /** Ignored Retention Minutes */
            ignored_retention_minutes: number;
            /** Mirror Ttl Seconds */
            mirror_ttl_seconds: number;
        };
        /** Sharing */
        Sharing: {
            /** Pod Names */
            pod_names: string[];
            /** Pods */
            pods: number;
            /** Workloads */
            workloads: string[];
        };
        /** Subject */
        Subject: {
            /** Broad */
            broad: boolean;
            /** Covers */
            covers: string | null;
            /** Exists */
            exists: boolean | null;
            /** Grants */
            grants: components["schemas"]["Grant"][];
            /**
             * Kind
             * @enum {string}
             */
            kind: "User" | "Group" | "ServiceAccount";
            /** Name */
            name: string;
            /** Namespace */
            namespace: string | null;
            /**
             * Source
             * @enum {string}
             */
            source: "cluster" | "external" | "built-in";
        };
        /** SubjectRef */
        SubjectRef: {
            /**
             * Kind
             * @enum {string}
             */
            kind: "User" | "Group" | "ServiceAccount";
            /** Name */
            name: string;
            /** Namespace */
            namespace: string | null;
            /**
             * Source
             * @enum {string}
             */
            source: "cluster" | "external" | "built-in";
        };
        /** Target */
        Target: {
            /** Kind */
            kind: string;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
        };
        /** TestResult */
        TestResult: {
            /** Success */
            success: boolean;
        };
        /** TrustedRegistry */
        TrustedRegistry: {
            /** Created At */
            created_at: string;
            /** Id */
            id: number;
            /** Registry */
            registry: string;
        };
        /** User */
        User: {
            /** Created At */
            created_at: string;
            /** Id */
            id: number;
            /** Last Login At */
            last_login_at: string | null;
            /**
             * Role
             * @enum {string}
             */
            role: "read" | "write" | "admin";
            /** Username */
            username: string;
        };
        /** UserEnvelope */
        UserEnvelope: {
            user: components["schemas"]["User"];
        };
        /** UserRef */
        UserRef: {
            /** Id */
            id: number;
            /**
             * Role
             * @enum {string}
             */
            role: "read" | "write" | "admin";
            /** Username */
            username: string;
        };
        /** ValidationErrorBody */
        ValidationErrorBody: {
            detail: {
                /** @description "path", "query" or "body", then the field and nested keys */
                loc: (string | number)[];
                msg: string;
                type: string;
            }[];
        };
        /** WorstGrant */
        WorstGrant: {
            /**
             * Action
             * @enum {string}
             */
            action: "exec" | "attach" | "debug" | "port-forward" | "logs" | "delete" | "patch" | "patch-controller" | "read-secret" | "read-configmap" | "impersonate-serviceaccount" | "serviceaccount-token" | "create-pods";
            subject: components["schemas"]["SubjectRef"];
            target: components["schemas"]["Target"];
            /** Via */
            via: string;
            /** Wildcard */
            wildcard: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    get_api_admin_excluded_namespaces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExcludedNamespace"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_excluded_namespaces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Namespace */
                    namespace: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExcludedNamespace"];
                };
            };
            /** @description OK */
            201: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExcludedNamespace"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_admin_excluded_namespaces_namespace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_admin_excluded_pods: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExcludedPod"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_excluded_pods: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Namespace
                     * @default null
                     */
                    namespace?: string | null;
                    /** Pod Name */
                    pod_name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExcludedPod"];
                };
            };
            /** @description OK */
            201: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExcludedPod"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_admin_excluded_pods_pod_name: {
        parameters: {
            query?: {
                namespace?: string | null;
            };
            header?: never;
            path: {
                pod_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_llm_config: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Api Key
                     * @default null
                     */
                    api_key?: string | null;
                    /**
                     * Base Url
                     * @default null
                     */
                    base_url?: string | null;
                    /**
                     * Model
                     * @default null
                     */
                    model?: string | null;
                    /** Provider */
                    provider: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LlmStatus"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_admin_llm_config: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_admin_llm_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LlmStatus"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_llm_test: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Api Key
                     * @default null
                     */
                    api_key?: string | null;
                    /**
                     * Base Url
                     * @default null
                     */
                    base_url?: string | null;
                    /**
                     * Model
                     * @default null
                     */
                    model?: string | null;
                    /** Provider */
                    provider: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LlmTestResult"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_admin_notifications: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationSetting"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_notifications: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    config: components["schemas"]["NotificationConfigIn"];
                    /**
                     * Enabled
                     * @default true
                     */
                    enabled?: boolean;
                    /** Events */
                    events?: ("pod_failure" | "pod_resolved" | "security_finding")[];
                    /**
                     * Min Severity
                     * @default high
                     * @enum {string}
                     */
                    min_severity?: "critical" | "high" | "medium" | "low" | "info";
                    /**
                     * Provider
                     * @enum {string}
                     */
                    provider: "slack" | "teams" | "discord" | "webhook";
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationSetting"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_api_admin_notifications_provider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Config
                     * @default null
                     */
                    config?: {
                        [key: string]: unknown;
                    } | null;
                    /**
                     * Enabled
                     * @default null
                     */
                    enabled?: boolean | null;
                    /**
                     * Events
                     * @default null
                     */
                    events?: ("pod_failure" | "pod_resolved" | "security_finding")[] | null;
                    /**
                     * Min Severity
                     * @default null
                     */
                    min_severity?: ("critical" | "high" | "medium" | "low" | "info") | null;
                    /**
                     * Provider
                     * @default null
                     */
                    provider?: ("slack" | "teams" | "discord" | "webhook") | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationSetting"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_admin_notifications_provider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_notifications_provider_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestResult"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_admin_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SettingInfo"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_admin_settings_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Setting"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_settings_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Value */
                    value: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Setting"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_admin_settings_mirror_ttl: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MirrorTtl"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_api_admin_settings_mirror_ttl: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Seconds */
                    seconds: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MirrorTtl"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_admin_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_admin_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Password */
                    password: string;
                    /**
                     * Role
                     * @enum {string}
                     */
                    role: "read" | "write" | "admin";
                    /** Username */
                    username: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_admin_users_user_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_api_admin_users_user_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Password
                     * @default null
                     */
                    password?: string | null;
                    /**
                     * Role
                     * @default null
                     */
                    role?: ("read" | "write" | "admin") | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Password */
                    password: string;
                    /** Username */
                    username: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The session cookie `kure_session` (set on login/signup, expired on logout) */
                    "Set-Cookie": string;
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until a retry can succeed */
                    "Retry-After": number;
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The session cookie `kure_session` (set on login/signup, expired on logout) */
                    "Set-Cookie": string;
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_auth_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_auth_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Current Password */
                    current_password: string;
                    /** New Password */
                    new_password: string;
                };
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_auth_signup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Password */
                    password: string;
                    /** Username */
                    username: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    /** @description The session cookie `kure_session` (set on login/signup, expired on logout) */
                    "Set-Cookie": string;
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_auth_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthStatus"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_config: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppConfig"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_diagram_clusterrole_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiagramGraph"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_diagram_manifest_namespace_kind_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                name: string;
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Manifest"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_diagram_namespace_namespace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiagramGraph"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_diagram_namespaces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamespaceList"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_diagram_role_namespace_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiagramGraph"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_diagram_roles: {
        parameters: {
            query?: {
                include_system?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_diagram_workload_namespace_kind_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                name: string;
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiagramGraph"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_metrics_security_scan_duration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Duration Seconds */
                    duration_seconds: number;
                };
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_mirror_mirror_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mirror_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_mirror_active: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MirrorSummary"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_mirror_deploy_pod_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pod_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * Manifest
                     * @default null
                     */
                    manifest?: string | null;
                    /**
                     * Ttl Seconds
                     * @default null
                     */
                    ttl_seconds?: number | null;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mirror"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_mirror_preview_pod_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pod_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preview"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_mirror_status_mirror_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mirror_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MirrorStatus"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_namespace_pod_name_access: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                pod_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodAccess"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_namespace_pod_name_impact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                pod_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodImpact"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_namespace_pod_name_logs: {
        parameters: {
            query?: {
                container?: string | null;
                previous?: boolean;
                tail_lines?: number;
            };
            header?: never;
            path: {
                namespace: string;
                pod_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodLogs"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_namespace_pod_name_logs_stream: {
        parameters: {
            query?: {
                container?: string | null;
                tail_lines?: number;
                token?: string | null;
            };
            header?: never;
            path: {
                namespace: string;
                pod_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One `data:` event per log line, `: keep-alive` comments, and a closing `end` or `error` event (docs/mirror.md) */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until a retry can succeed */
                    "Retry-After": number;
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An upstream (Kubernetes API, webhook, LLM) answered with an error */
            502: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_api_pods_pod_id_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pod_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Note
                     * @default null
                     */
                    note?: string | null;
                    /**
                     * Status
                     * @enum {string}
                     */
                    status: "new" | "investigating" | "resolved" | "ignored";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_pods_dismiss_deleted: {
        parameters: {
            query?: never;
            header?: {
                /** @description A delivery key: the same key on a retry is applied at most once. Idempotency-Key must be 1 to 128 letters, digits or - _ . : ~ + / =, optionally in double quotes. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Namespace
                     * @default null
                     */
                    namespace?: string | null;
                    /**
                     * Pod Name
                     * @default null
                     */
                    pod_name?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DismissDeletedResult"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_failed: {
        parameters: {
            query?: {
                limit?: number;
                namespace?: string | null;
                offset?: number;
                reason?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    /** @description Number of matching items before limit/offset */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_pods_failed: {
        parameters: {
            query?: never;
            header?: {
                /** @description A delivery key: the same key on a retry is applied at most once. Idempotency-Key must be 1 to 128 letters, digits or - _ . : ~ + / =, optionally in double quotes. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Container Statuses */
                    container_statuses?: components["schemas"]["ContainerStatusIn"][];
                    /**
                     * Creation Timestamp
                     * @default null
                     */
                    creation_timestamp?: string | null;
                    /** Events */
                    events?: components["schemas"]["EventIn"][];
                    /**
                     * Failure Message
                     * @default
                     */
                    failure_message?: string;
                    /**
                     * Failure Reason
                     * @default Unknown
                     */
                    failure_reason?: string;
                    /** Labels */
                    labels?: {
                        [key: string]: string;
                    };
                    /**
                     * Logs
                     * @default
                     */
                    logs?: string;
                    /**
                     * Manifest
                     * @default
                     */
                    manifest?: string;
                    /**
                     * Namespace
                     * @default null
                     */
                    namespace?: string | null;
                    /**
                     * Node Name
                     * @default null
                     */
                    node_name?: string | null;
                    /**
                     * Owner Kind
                     * @default null
                     */
                    owner_kind?: string | null;
                    /**
                     * Owner Name
                     * @default null
                     */
                    owner_name?: string | null;
                    /**
                     * Phase
                     * @default null
                     */
                    phase?: string | null;
                    /**
                     * Pod Name
                     * @default null
                     */
                    pod_name?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"];
                };
            };
            /** @description OK */
            202: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExcludedReport"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_failed_pod_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pod_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailure"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_pods_failed_pod_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pod_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_pods_failed_pod_id_retry_solution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pod_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_history: {
        parameters: {
            query?: {
                limit?: number;
                namespace?: string | null;
                offset?: number;
                reason?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    /** @description Number of matching items before limit/offset */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_ignored: {
        parameters: {
            query?: {
                limit?: number;
                namespace?: string | null;
                offset?: number;
                reason?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    /** @description Number of matching items before limit/offset */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_api_pods_ignored_pod_id_restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pod_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PodFailureSummary"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_pods_reasons: {
        parameters: {
            query?: {
                list?: "failed" | "history" | "ignored";
                namespace?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReasonCount"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_security_findings: {
        parameters: {
            query?: {
                check_name?: string | null;
                include_dismissed?: boolean;
                limit?: number;
                namespace?: string | null;
                offset?: number;
                resource_type?: string | null;
                severity?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    /** @description Number of matching items before limit/offset */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Finding"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_security_findings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Check Name */
                    check_name: string;
                    /** Details */
                    details?: {
                        [key: string]: unknown;
                    };
                    /**
                     * Manifest
                     * @default
                     */
                    manifest?: string;
                    /** Message */
                    message: string;
                    /** Namespace */
                    namespace: string;
                    /**
                     * Remediation
                     * @default
                     */
                    remediation?: string;
                    /** Resource Name */
                    resource_name: string;
                    /** Resource Type */
                    resource_type: string;
                    /**
                     * Severity
                     * @enum {string}
                     */
                    severity: "critical" | "high" | "medium" | "low" | "info";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Finding"];
                };
            };
            /** @description OK */
            202: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportExcluded"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_security_findings_finding_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                finding_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Finding"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_security_findings_finding_id_fix: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                finding_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FixResponse"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_api_security_findings_finding_id_restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                finding_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Finding"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_security_findings_resource_resource_type_namespace_name: {
        parameters: {
            query?: {
                check_name?: string | null;
            };
            header?: never;
            path: {
                name: string;
                namespace: string;
                resource_type: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedCount"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_security_rescan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RescanRequested"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_security_rescan_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Reason
                     * @default null
                     */
                    reason?: string | null;
                    /**
                     * Status
                     * @enum {string}
                     */
                    status: "started" | "completed" | "failed";
                };
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_security_scan_clear: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClearResponse"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_api_security_trusted_registries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrustedRegistry"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_api_security_trusted_registries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Registry */
                    registry: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrustedRegistry"];
                };
            };
            /** @description OK */
            201: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrustedRegistry"];
                };
            };
            /** @description Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route */
            400: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Content-Type must be application/json */
            415: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Validation error (path, query or body) */
            422: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_api_security_trusted_registries_registry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                registry: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Forbidden: role too low, wrong kind of principal, or a cross-origin request */
            403: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency (MongoDB, Neo4j, Kubernetes) is not available */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
        };
    };
    get_metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format (version 0.0.4) */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    get_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            /** @description OK */
            503: {
                headers: {
                    /** @description The request id: echoed from the request when valid, else generated (also in the logs) */
                    "X-Request-ID": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
        };
    };
}
