package dev.emailchannel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API's error mapping on a plain exchange: a refused call answers its status with {@code {"error": message}}, any
 * other failure a 500 naming only the kind of failure (its message may hold anything, secrets included), and nothing
 * else of the exchange goes out.
 */
class ApiErrorsTest {

    final ObjectMapper json = new ObjectMapper();
    final CamelContext camel = new DefaultCamelContext();
    final ApiErrors step = new ApiErrors(json);

    ApiErrorsTest() {
        camel.start();
    }

    @AfterEach
    void close() {
        camel.stop();
    }

    Exchange failed(Exception e) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setVariable(ApiCall.METHOD, "POST");
        exchange.setVariable(ApiCall.PATH, "/api/messages");
        exchange.getIn().setHeader("X-Leftover", "from a bean");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        exchange.getIn().setBody("{\"half\": ");
        if (e != null) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        }
        step.process(exchange);
        return exchange;
    }

    JsonNode answer(Exchange exchange) throws Exception {
        return json.readTree(exchange.getIn().getBody(byte[].class));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 409, 413, 422, 503})
    void should_answer_a_refused_call_with_its_status_and_message(int status) throws Exception {
        Exchange exchange = failed(new ApiException(status, "to: \"jane@\" is not an address\r\n(line 2)"));

        assertThat(exchange.getIn().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(status);
        assertThat(exchange.getIn().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        JsonNode answer = answer(exchange);
        assertThat(answer.size()).isEqualTo(1);
        assertThat(answer.get("error").asText()).isEqualTo("to: \"jane@\" is not an address\r\n(line 2)");
    }

    @Test
    void should_answer_any_other_failure_with_500_naming_only_its_kind() throws Exception {
        Exchange exchange = failed(new IllegalStateException("jdbc:postgresql://db?password=hunter2 refused"));

        assertThat(exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer(exchange).get("error").asText()).isEqualTo("internal error: IllegalStateException");
        assertThat(exchange.getIn().getBody(String.class)).doesNotContain("hunter2");
        assertThat(exchange.getIn().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
    }

    @Test
    void should_answer_500_when_the_failure_is_unknown() throws Exception {
        Exchange exchange = failed(null);

        assertThat(exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer(exchange).get("error").asText()).isEqualTo("internal error: unknown");
    }
}
