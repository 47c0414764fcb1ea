//! [`runtime_settings!`](crate::runtime_settings): the shared setters on every provider
//! builder.

/// Adds the [`RuntimeBuilder`](crate::runtime::RuntimeBuilder) setters, under the same names,
/// to a provider builder that keeps its `RuntimeBuilder` in the field `$field`.
///
/// Use it inside the builder's `impl` block, so every provider (strata's and yours) offers
/// exactly the same settings: `retry`, `retry_budget`, `retry_classifier`, `timeout`,
/// `idle_timeout`, `connect_timeout`, `max_response_bytes`, `user_agent_suffix`,
/// `default_header`, `env`, `allow_insecure_endpoint`, `http_client`, `layer`,
/// `attempt_layer` and `transport_layer`.
///
/// ```
/// use strata_http::runtime::RuntimeBuilder;
///
/// /// A provider's builder.
/// #[derive(Debug, Default)]
/// pub struct MyBuilder {
///     runtime: RuntimeBuilder,
/// }
///
/// impl MyBuilder {
///     strata_http::runtime_settings!(runtime);
/// }
///
/// let builder = MyBuilder::default()
///     .timeout(std::time::Duration::from_secs(30))
///     .default_header("x-team", "search");
/// assert!(format!("{builder:?}").contains("x-team"));
/// ```
#[macro_export]
macro_rules! runtime_settings {
    ($field:ident) => {
        /// Retry attempts and backoff (default: 3 attempts, 1 s base delay, 20 s cap); see
        /// [`RuntimeBuilder::retry`](strata_http::runtime::RuntimeBuilder::retry).
        #[must_use]
        pub fn retry(mut self, config: $crate::retry::RetryConfig) -> Self {
            self.$field = self.$field.retry(config);
            self
        }

        /// The retry budget every retry draws on; pass clones of one budget to several
        /// providers to share it. See
        /// [`RuntimeBuilder::retry_budget`](strata_http::runtime::RuntimeBuilder::retry_budget).
        #[must_use]
        pub fn retry_budget(mut self, budget: $crate::retry::RetryBudget) -> Self {
            self.$field = self.$field.retry_budget(budget);
            self
        }

        /// What is retried, instead of the provider's classifier. See
        /// [`RuntimeBuilder::retry_classifier`](strata_http::runtime::RuntimeBuilder::retry_classifier).
        #[must_use]
        pub fn retry_classifier(mut self, classifier: impl $crate::retry::Classifier) -> Self {
            self.$field = self.$field.retry_classifier(classifier);
            self
        }

        /// How long one attempt may wait for response headers (default 10 minutes). See
        /// [`RuntimeBuilder::timeout`](strata_http::runtime::RuntimeBuilder::timeout).
        #[must_use]
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field = self.$field.timeout(timeout);
            self
        }

        /// How long a response body (a stream) may send nothing (default 2 minutes). See
        /// [`RuntimeBuilder::idle_timeout`](strata_http::runtime::RuntimeBuilder::idle_timeout).
        #[must_use]
        pub fn idle_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field = self.$field.idle_timeout(timeout);
            self
        }

        /// How long connecting may take (default 10 seconds). See
        /// [`RuntimeBuilder::connect_timeout`](strata_http::runtime::RuntimeBuilder::connect_timeout).
        #[must_use]
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field = self.$field.connect_timeout(timeout);
            self
        }

        /// The most bytes of a response body read into memory (default 256 MiB). See
        /// [`RuntimeBuilder::max_response_bytes`](strata_http::runtime::RuntimeBuilder::max_response_bytes).
        #[must_use]
        pub fn max_response_bytes(mut self, limit: usize) -> Self {
            self.$field = self.$field.max_response_bytes(limit);
            self
        }

        /// Appends a product token such as `my-app/2.1` to the `User-Agent`. See
        /// [`RuntimeBuilder::user_agent_suffix`](strata_http::runtime::RuntimeBuilder::user_agent_suffix).
        #[must_use]
        pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
            self.$field = self.$field.user_agent_suffix(suffix);
            self
        }

        /// Adds a header to every request (validated at build). See
        /// [`RuntimeBuilder::default_header`](strata_http::runtime::RuntimeBuilder::default_header).
        #[must_use]
        pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.$field = self.$field.default_header(name, value);
            self
        }

        /// Reads exactly these environment variables at build time instead of a snapshot of
        /// the process environment. See
        /// [`RuntimeBuilder::env`](strata_http::runtime::RuntimeBuilder::env).
        #[must_use]
        pub fn env<I, K, V>(mut self, vars: I) -> Self
        where
            I: IntoIterator<Item = (K, V)>,
            K: Into<String>,
            V: Into<String>,
        {
            self.$field = self.$field.env(vars);
            self
        }

        /// Allows secrets over plain `http://` to hosts that are not loopback addresses. See
        /// [`RuntimeBuilder::allow_insecure_endpoint`](strata_http::runtime::RuntimeBuilder::allow_insecure_endpoint).
        #[must_use]
        pub fn allow_insecure_endpoint(mut self, allow: bool) -> Self {
            self.$field = self.$field.allow_insecure_endpoint(allow);
            self
        }

        /// Replaces the built-in HTTP client with your own service. See
        /// [`RuntimeBuilder::http_client`](strata_http::runtime::RuntimeBuilder::http_client).
        #[must_use]
        pub fn http_client(mut self, client: impl $crate::service::IntoHttpService) -> Self {
            self.$field = self.$field.http_client(client);
            self
        }

        /// Adds a layer around the whole call, outside retry; the first added is the
        /// outermost. See [`RuntimeBuilder::layer`](strata_http::runtime::RuntimeBuilder::layer).
        #[must_use]
        pub fn layer<L>(mut self, layer: L) -> Self
        where
            L: $crate::__private::Layer<$crate::service::HttpService> + Send + Sync + 'static,
            L::Service: $crate::service::IntoHttpService,
        {
            self.$field = self.$field.layer(layer);
            self
        }

        /// Adds a layer around each attempt, inside retry and before credentials and
        /// signing. See
        /// [`RuntimeBuilder::attempt_layer`](strata_http::runtime::RuntimeBuilder::attempt_layer).
        #[must_use]
        pub fn attempt_layer<L>(mut self, layer: L) -> Self
        where
            L: $crate::__private::Layer<$crate::service::HttpService> + Send + Sync + 'static,
            L::Service: $crate::service::IntoHttpService,
        {
            self.$field = self.$field.attempt_layer(layer);
            self
        }

        /// Adds a layer just above the transport, where it sees the signed request. See
        /// [`RuntimeBuilder::transport_layer`](strata_http::runtime::RuntimeBuilder::transport_layer).
        #[must_use]
        pub fn transport_layer<L>(mut self, layer: L) -> Self
        where
            L: $crate::__private::Layer<$crate::service::HttpService> + Send + Sync + 'static,
            L::Service: $crate::service::IntoHttpService,
        {
            self.$field = self.$field.transport_layer(layer);
            self
        }
    };
}
