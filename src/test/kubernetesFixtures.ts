// The Kubernetes manifests the tests write again and again: a Deployment `web` with one container,
// and a Service `web` in front of it. Unit and host suites build their cases from these two.

/**
 * A Deployment `web` whose pods are labelled `app: <app>`, with one container `app`. `ports` are the
 * items of its `ports:` list (indented 12; undefined: no `ports:` at all), `more` further lines of the
 * container (indented 10).
 */
export function deploymentYaml(
  ports: string | undefined,
  options: { app?: string; more?: string } = {},
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: ${options.app ?? 'web'}
    spec:
      containers:
        - name: app
          image: example/web
${ports === undefined ? '' : `          ports:\n${ports}`}${options.more ?? ''}`;
}

/** A Service `web` selecting `app: <selector>`; `ports` are the items of its `ports:` list (indented 4). */
export function serviceYaml(ports: string, selector = 'web'): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: ${selector}
  ports:
${ports}`;
}
