// engine_w16_pack2_b1_c256: generated from a rust-hdl design by mmfree-hdl; do not edit.
/* verilator lint_off DECLFILENAME */
`default_nettype none


module engine_w16_pack2_b1_c256(clock,start,cols,rows,busy,done,w_valid,w_ready,w_data,cb_write,cb_seq,cb_addr,cb_data,acc_valid,acc_ready,acc_data);
    
    // Module arguments
    input wire  clock;
    input wire  start;
    input wire  [8:0] cols;
    input wire  [8:0] rows;
    output reg  busy;
    output reg  done;
    input wire  w_valid;
    output reg  w_ready;
    input wire  [15:0] w_data;
    input wire  cb_write;
    input wire  cb_seq;
    input wire  [4:0] cb_addr;
    input wire  [63:0] cb_data;
    output reg  acc_valid;
    input wire  acc_ready;
    output reg  [16:0] acc_data;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  control$clock;
    reg  control$start;
    reg  [8:0] control$cols;
    reg  [8:0] control$rows;
    wire  control$busy;
    wire  control$done;
    reg  control$w_valid;
    wire  control$w_ready;
    reg  control$acc_taken;
    wire  control$beat_valid;
    wire  control$beat_first;
    wire  control$beat_last;
    wire  [4:0] control$beat_addr;
    wire  [3:0] control$beat_count;
    reg  codes$clock;
    reg  codes$write;
    reg  codes$write_seq;
    reg  [4:0] codes$write_addr;
    reg  [63:0] codes$write_codes;
    reg  [4:0] codes$read_addr;
    wire  [63:0] codes$read_codes;
    reg  decode$clock;
    reg  decode$in_valid;
    reg  decode$in_first;
    reg  decode$in_last;
    reg  [3:0] decode$in_count;
    reg  [15:0] decode$w_data;
    reg  [63:0] decode$codes;
    wire  decode$out_valid;
    wire  decode$out_first;
    wire  decode$out_last;
    wire  [63:0] decode$lanes;
    wire  [7:0] decode$neg;
    reg  reduce$clock;
    reg  reduce$in_valid;
    reg  reduce$in_first;
    reg  reduce$in_last;
    reg  [63:0] reduce$lanes;
    reg  [7:0] reduce$neg;
    wire  reduce$out_valid;
    wire  reduce$out_first;
    wire  reduce$out_last;
    wire  [10:0] reduce$sums;
    wire  [3:0] reduce$neg_sum;
    reg  accumulate$clock;
    reg  accumulate$in_valid;
    reg  accumulate$in_first;
    reg  accumulate$in_last;
    reg  [10:0] accumulate$sums;
    reg  [3:0] accumulate$neg_sum;
    wire  accumulate$out_write;
    wire  [16:0] accumulate$out_data;
    reg  fifo$clock;
    reg  fifo$in_valid;
    wire  fifo$in_ready;
    reg  [16:0] fifo$in_data;
    wire  fifo$out_valid;
    reg  fifo$out_ready;
    wire  [16:0] fifo$out_data;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    engine_w16_pack2_b1_c256__control control(
        .clock(control$clock),
        .start(control$start),
        .cols(control$cols),
        .rows(control$rows),
        .busy(control$busy),
        .done(control$done),
        .w_valid(control$w_valid),
        .w_ready(control$w_ready),
        .acc_taken(control$acc_taken),
        .beat_valid(control$beat_valid),
        .beat_first(control$beat_first),
        .beat_last(control$beat_last),
        .beat_addr(control$beat_addr),
        .beat_count(control$beat_count)
    );
    engine_w16_pack2_b1_c256__codes codes(
        .clock(codes$clock),
        .write(codes$write),
        .write_seq(codes$write_seq),
        .write_addr(codes$write_addr),
        .write_codes(codes$write_codes),
        .read_addr(codes$read_addr),
        .read_codes(codes$read_codes)
    );
    engine_w16_pack2_b1_c256__decode decode(
        .clock(decode$clock),
        .in_valid(decode$in_valid),
        .in_first(decode$in_first),
        .in_last(decode$in_last),
        .in_count(decode$in_count),
        .w_data(decode$w_data),
        .codes(decode$codes),
        .out_valid(decode$out_valid),
        .out_first(decode$out_first),
        .out_last(decode$out_last),
        .lanes(decode$lanes),
        .neg(decode$neg)
    );
    engine_w16_pack2_b1_c256__reduce reduce(
        .clock(reduce$clock),
        .in_valid(reduce$in_valid),
        .in_first(reduce$in_first),
        .in_last(reduce$in_last),
        .lanes(reduce$lanes),
        .neg(reduce$neg),
        .out_valid(reduce$out_valid),
        .out_first(reduce$out_first),
        .out_last(reduce$out_last),
        .sums(reduce$sums),
        .neg_sum(reduce$neg_sum)
    );
    engine_w16_pack2_b1_c256__accumulate accumulate(
        .clock(accumulate$clock),
        .in_valid(accumulate$in_valid),
        .in_first(accumulate$in_first),
        .in_last(accumulate$in_last),
        .sums(accumulate$sums),
        .neg_sum(accumulate$neg_sum),
        .out_write(accumulate$out_write),
        .out_data(accumulate$out_data)
    );
    engine_w16_pack2_b1_c256__fifo fifo(
        .clock(fifo$clock),
        .in_valid(fifo$in_valid),
        .in_ready(fifo$in_ready),
        .in_data(fifo$in_data),
        .out_valid(fifo$out_valid),
        .out_ready(fifo$out_ready),
        .out_data(fifo$out_data)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        control$clock = clock;
        codes$clock = clock;
        decode$clock = clock;
        reduce$clock = clock;
        accumulate$clock = clock;
        fifo$clock = clock;
        control$start = start;
        control$cols = cols;
        control$rows = rows;
        control$w_valid = w_valid;
        control$acc_taken = fifo$out_valid & acc_ready;
        busy = control$busy;
        done = control$done;
        w_ready = control$w_ready;
        codes$write = cb_write;
        codes$write_seq = cb_seq;
        codes$write_addr = cb_addr;
        codes$write_codes = cb_data;
        codes$read_addr = control$beat_addr;
        decode$in_valid = control$beat_valid;
        decode$in_first = control$beat_first;
        decode$in_last = control$beat_last;
        decode$in_count = control$beat_count;
        decode$w_data = w_data;
        decode$codes = codes$read_codes;
        reduce$in_valid = decode$out_valid;
        reduce$in_first = decode$out_first;
        reduce$in_last = decode$out_last;
        reduce$lanes = decode$lanes;
        reduce$neg = decode$neg;
        accumulate$in_valid = reduce$out_valid;
        accumulate$in_first = reduce$out_first;
        accumulate$in_last = reduce$out_last;
        accumulate$sums = reduce$sums;
        accumulate$neg_sum = reduce$neg_sum;
        fifo$in_valid = accumulate$out_write;
        fifo$in_data = accumulate$out_data;
        fifo$out_ready = acc_ready;
        acc_valid = fifo$out_valid;
        acc_data = fifo$out_data;
    end
    
/* verilator lint_on WIDTH */
endmodule // engine_w16_pack2_b1_c256


module engine_w16_pack2_b1_c256__accumulate(clock,in_valid,in_first,in_last,sums,neg_sum,out_write,out_data);
    
    // Module arguments
    input wire  clock;
    input wire  in_valid;
    input wire  in_first;
    input wire  in_last;
    input wire  [10:0] sums;
    input wire  [3:0] neg_sum;
    output reg  out_write;
    output reg  [16:0] out_data;
    
    // Update code (custom)
    reg valid_d, first_d, last_d;
    wire signed [16:0] neg_x = {{13{neg_sum[3]}}, neg_sum};
    reg signed [16:0] diff0, acc0;
    wire signed [16:0] sum0 = {{6{sums[10]}}, sums[10:0]};
    wire signed [16:0] next0 = (first_d ? 17'sd0 : acc0) + diff0;
    initial begin
        valid_d = 1'b0; first_d = 1'b0; last_d = 1'b0;
        diff0 = 17'sd0; acc0 = 17'sd0;
    end
    always @(posedge clock) begin
        valid_d <= in_valid; first_d <= in_first; last_d <= in_last;
        diff0 <= sum0 - neg_x;
        if (valid_d) acc0 <= next0;
    end
    always @(*) begin
        out_write = valid_d & last_d;
        out_data = {next0};
    end
endmodule // engine_w16_pack2_b1_c256__accumulate


module engine_w16_pack2_b1_c256__codes(clock,write,write_seq,write_addr,write_codes,read_addr,read_codes);
    
    // Module arguments
    input wire  clock;
    input wire  write;
    input wire  write_seq;
    input wire  [4:0] write_addr;
    input wire  [63:0] write_codes;
    input wire  [4:0] read_addr;
    output reg  [63:0] read_codes;
    
    // Update code (custom)
    reg [63:0] bank0 [0:31];
    reg [63:0] read0;
    initial read0 = 64'd0;
    always @(posedge clock) begin
        if (write && write_seq == 1'd0) bank0[write_addr] <= write_codes;
        read0 <= bank0[read_addr];
    end
    always @(*) read_codes = {read0};
endmodule // engine_w16_pack2_b1_c256__codes


module engine_w16_pack2_b1_c256__control(clock,start,cols,rows,busy,done,w_valid,w_ready,acc_taken,beat_valid,beat_first,beat_last,beat_addr,beat_count);
    
    // Module arguments
    input wire  clock;
    input wire  start;
    input wire  [8:0] cols;
    input wire  [8:0] rows;
    output reg  busy;
    output reg  done;
    input wire  w_valid;
    output reg  w_ready;
    input wire  acc_taken;
    output reg  beat_valid;
    output reg  beat_first;
    output reg  beat_last;
    output reg  [4:0] beat_addr;
    output reg  [3:0] beat_count;
    
    // Constant declarations
    localparam  lanes = 9'b1000;
    localparam  credit_limit = 8'h8;
    localparam  idle = 2'b0;
    localparam  run = 2'b1;
    localparam  drain = 2'b10;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [1:0] phase$d;
    wire  [1:0] phase$q;
    reg  phase$clock;
    reg  [8:0] cols_q$d;
    wire  [8:0] cols_q$q;
    reg  cols_q$clock;
    reg  [8:0] remaining$d;
    wire  [8:0] remaining$q;
    reg  remaining$clock;
    reg  [8:0] rows_left$d;
    wire  [8:0] rows_left$q;
    reg  rows_left$clock;
    reg  [4:0] addr$d;
    wire  [4:0] addr$q;
    reg  addr$clock;
    reg  [7:0] inflight$d;
    wire  [7:0] inflight$q;
    reg  inflight$clock;
    reg  done_q$d;
    wire  done_q$q;
    reg  done_q$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  take;
    reg  last;
    reg  row_done;
    
    // Sub module instances
    engine_w16_pack2_b1_c256__control__phase phase(
        .d(phase$d),
        .q(phase$q),
        .clock(phase$clock)
    );
    engine_w16_pack2_b1_c256__control__cols_q cols_q(
        .d(cols_q$d),
        .q(cols_q$q),
        .clock(cols_q$clock)
    );
    engine_w16_pack2_b1_c256__control__remaining remaining(
        .d(remaining$d),
        .q(remaining$q),
        .clock(remaining$clock)
    );
    engine_w16_pack2_b1_c256__control__rows_left rows_left(
        .d(rows_left$d),
        .q(rows_left$q),
        .clock(rows_left$clock)
    );
    engine_w16_pack2_b1_c256__control__addr addr(
        .d(addr$d),
        .q(addr$q),
        .clock(addr$clock)
    );
    engine_w16_pack2_b1_c256__control__inflight inflight(
        .d(inflight$d),
        .q(inflight$q),
        .clock(inflight$clock)
    );
    engine_w16_pack2_b1_c256__control__done_q done_q(
        .d(done_q$d),
        .q(done_q$q),
        .clock(done_q$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        phase$clock = clock;
        cols_q$clock = clock;
        remaining$clock = clock;
        rows_left$clock = clock;
        addr$clock = clock;
        inflight$clock = clock;
        done_q$clock = clock;
        phase$d = phase$q;
        cols_q$d = cols_q$q;
        remaining$d = remaining$q;
        rows_left$d = rows_left$q;
        addr$d = addr$q;
        inflight$d = inflight$q;
        done_q$d = done_q$q;
        w_ready = (phase$q == run) & (inflight$q < credit_limit);
        take = w_valid & (phase$q == run) & (inflight$q < credit_limit);
        last = remaining$q <= lanes;
        row_done = take & last;
        beat_valid = take;
        beat_first = addr$q == 32'h0;
        beat_last = last;
        beat_addr = addr$q;
        beat_count = ((lanes) & 4'hf);
        if (last) begin
            beat_count = ((remaining$q) & 4'hf);
        end
        if (row_done & ~acc_taken) begin
            inflight$d = inflight$q + 32'h1;
        end
        if (~row_done & acc_taken) begin
            inflight$d = inflight$q - 32'h1;
        end
        busy = phase$q != idle;
        done = done_q$q;
        done_q$d = 1'b0;
        if ((phase$q == idle) & start) begin
            cols_q$d = cols;
            remaining$d = cols;
            rows_left$d = rows;
            addr$d = 32'h0;
            if ((cols == 32'h0) | (rows == 32'h0)) begin
                done_q$d = 1'b1;
            end
            else begin
                phase$d = run;
            end
        end
        if (take) begin
            if (last) begin
                remaining$d = cols_q$q;
                addr$d = 32'h0;
                rows_left$d = rows_left$q - 32'h1;
                if (rows_left$q == 32'h1) begin
                    phase$d = drain;
                end
            end
            else begin
                remaining$d = remaining$q - lanes;
                addr$d = addr$q + 32'h1;
            end
        end
        if ((phase$q == drain) & (inflight$q == 32'h0)) begin
            phase$d = idle;
            done_q$d = 1'b1;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // engine_w16_pack2_b1_c256__control


module engine_w16_pack2_b1_c256__control__addr(d,q,clock);
    
    // Module arguments
    input wire  [4:0] d;
    output reg  [4:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 5'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__control__addr


module engine_w16_pack2_b1_c256__control__cols_q(d,q,clock);
    
    // Module arguments
    input wire  [8:0] d;
    output reg  [8:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 9'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__control__cols_q


module engine_w16_pack2_b1_c256__control__done_q(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__control__done_q


module engine_w16_pack2_b1_c256__control__inflight(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__control__inflight


module engine_w16_pack2_b1_c256__control__phase(d,q,clock);
    
    // Module arguments
    input wire  [1:0] d;
    output reg  [1:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 2'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__control__phase


module engine_w16_pack2_b1_c256__control__remaining(d,q,clock);
    
    // Module arguments
    input wire  [8:0] d;
    output reg  [8:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 9'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__control__remaining


module engine_w16_pack2_b1_c256__control__rows_left(d,q,clock);
    
    // Module arguments
    input wire  [8:0] d;
    output reg  [8:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 9'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__control__rows_left


module engine_w16_pack2_b1_c256__decode(clock,in_valid,in_first,in_last,in_count,w_data,codes,out_valid,out_first,out_last,lanes,neg);
    
    // Module arguments
    input wire  clock;
    input wire  in_valid;
    input wire  in_first;
    input wire  in_last;
    input wire  [3:0] in_count;
    input wire  [15:0] w_data;
    input wire  [63:0] codes;
    output reg  out_valid;
    output reg  out_first;
    output reg  out_last;
    output reg  [63:0] lanes;
    output reg  [7:0] neg;
    
    // Update code (custom)
    reg [15:0] trits;
    initial trits = 16'd0;
    always @(posedge clock) trits <= w_data;
    wire [7:0] mask_next;
    assign mask_next[0] = in_count > 4'd0;
    assign mask_next[1] = in_count > 4'd1;
    assign mask_next[2] = in_count > 4'd2;
    assign mask_next[3] = in_count > 4'd3;
    assign mask_next[4] = in_count > 4'd4;
    assign mask_next[5] = in_count > 4'd5;
    assign mask_next[6] = in_count > 4'd6;
    assign mask_next[7] = in_count > 4'd7;
    reg [7:0] mask;
    reg valid1, first1, last1;
    initial begin
        mask = 8'd0; valid1 = 1'b0; first1 = 1'b0; last1 = 1'b0;
    end
    always @(posedge clock) begin
        mask <= mask_next;
        valid1 <= in_valid; first1 <= in_first; last1 <= in_last;
    end
    wire [7:0] pos_w, neg_w;
    wire [63:0] lanes_w;
    assign pos_w[0] = mask[0] & trits[1] & ~trits[0];
    assign neg_w[0] = mask[0] & ~trits[1] & ~trits[0];
    assign lanes_w[7:0] = ({8{pos_w[0]}} & codes[7:0]) | ({8{neg_w[0]}} & ~codes[7:0]);
    assign pos_w[1] = mask[1] & trits[3] & ~trits[2];
    assign neg_w[1] = mask[1] & ~trits[3] & ~trits[2];
    assign lanes_w[15:8] = ({8{pos_w[1]}} & codes[15:8]) | ({8{neg_w[1]}} & ~codes[15:8]);
    assign pos_w[2] = mask[2] & trits[5] & ~trits[4];
    assign neg_w[2] = mask[2] & ~trits[5] & ~trits[4];
    assign lanes_w[23:16] = ({8{pos_w[2]}} & codes[23:16]) | ({8{neg_w[2]}} & ~codes[23:16]);
    assign pos_w[3] = mask[3] & trits[7] & ~trits[6];
    assign neg_w[3] = mask[3] & ~trits[7] & ~trits[6];
    assign lanes_w[31:24] = ({8{pos_w[3]}} & codes[31:24]) | ({8{neg_w[3]}} & ~codes[31:24]);
    assign pos_w[4] = mask[4] & trits[9] & ~trits[8];
    assign neg_w[4] = mask[4] & ~trits[9] & ~trits[8];
    assign lanes_w[39:32] = ({8{pos_w[4]}} & codes[39:32]) | ({8{neg_w[4]}} & ~codes[39:32]);
    assign pos_w[5] = mask[5] & trits[11] & ~trits[10];
    assign neg_w[5] = mask[5] & ~trits[11] & ~trits[10];
    assign lanes_w[47:40] = ({8{pos_w[5]}} & codes[47:40]) | ({8{neg_w[5]}} & ~codes[47:40]);
    assign pos_w[6] = mask[6] & trits[13] & ~trits[12];
    assign neg_w[6] = mask[6] & ~trits[13] & ~trits[12];
    assign lanes_w[55:48] = ({8{pos_w[6]}} & codes[55:48]) | ({8{neg_w[6]}} & ~codes[55:48]);
    assign pos_w[7] = mask[7] & trits[15] & ~trits[14];
    assign neg_w[7] = mask[7] & ~trits[15] & ~trits[14];
    assign lanes_w[63:56] = ({8{pos_w[7]}} & codes[63:56]) | ({8{neg_w[7]}} & ~codes[63:56]);
    always @(*) begin
        lanes = lanes_w;
        neg = neg_w;
        out_valid = valid1; out_first = first1; out_last = last1;
    end
endmodule // engine_w16_pack2_b1_c256__decode


module engine_w16_pack2_b1_c256__fifo(clock,in_valid,in_ready,in_data,out_valid,out_ready,out_data);
    
    // Module arguments
    input wire  clock;
    input wire  in_valid;
    output reg  in_ready;
    input wire  [16:0] in_data;
    output reg  out_valid;
    input wire  out_ready;
    output reg  [16:0] out_data;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  fifo$clock;
    reg  fifo$read;
    wire  [16:0] fifo$data_out;
    wire  fifo$empty;
    wire  fifo$almost_empty;
    wire  fifo$underflow;
    reg  fifo$write;
    reg  [16:0] fifo$data_in;
    wire  fifo$full;
    wire  fifo$almost_full;
    wire  fifo$overflow;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    engine_w16_pack2_b1_c256__fifo__fifo fifo(
        .clock(fifo$clock),
        .read(fifo$read),
        .data_out(fifo$data_out),
        .empty(fifo$empty),
        .almost_empty(fifo$almost_empty),
        .underflow(fifo$underflow),
        .write(fifo$write),
        .data_in(fifo$data_in),
        .full(fifo$full),
        .almost_full(fifo$almost_full),
        .overflow(fifo$overflow)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        fifo$clock = clock;
        in_ready = ~fifo$full;
        fifo$write = in_valid;
        fifo$data_in = in_data;
        out_valid = ~fifo$empty;
        out_data = fifo$data_out;
        fifo$read = out_ready;
    end
    
/* verilator lint_on WIDTH */
endmodule // engine_w16_pack2_b1_c256__fifo


module engine_w16_pack2_b1_c256__fifo__fifo(clock,read,data_out,empty,almost_empty,underflow,write,data_in,full,almost_full,overflow);
    
    // Module arguments
    input wire  clock;
    input wire  read;
    output reg  [16:0] data_out;
    output reg  empty;
    output reg  almost_empty;
    output reg  underflow;
    input wire  write;
    input wire  [16:0] data_in;
    output reg  full;
    output reg  almost_full;
    output reg  overflow;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [2:0] ram$read_address;
    reg  ram$read_clock;
    wire  [16:0] ram$read_data;
    reg  [2:0] ram$write_address;
    reg  ram$write_clock;
    reg  [16:0] ram$write_data;
    reg  ram$write_enable;
    reg  read_logic$clock;
    reg  read_logic$read;
    wire  [16:0] read_logic$data_out;
    wire  read_logic$empty;
    wire  read_logic$almost_empty;
    wire  read_logic$underflow;
    reg  [3:0] read_logic$write_address_delayed;
    wire  [2:0] read_logic$ram_read_address;
    reg  [16:0] read_logic$ram_read_data;
    wire  read_logic$ram_read_clock;
    wire  [3:0] read_logic$read_address_out;
    wire  [3:0] read_logic$fill_level;
    reg  write_logic$write;
    reg  [16:0] write_logic$data_in;
    wire  write_logic$full;
    wire  write_logic$almost_full;
    wire  write_logic$overflow;
    reg  write_logic$clock;
    wire  [2:0] write_logic$ram_write_address;
    wire  write_logic$ram_write_clock;
    wire  [16:0] write_logic$ram_write_data;
    wire  write_logic$ram_write_enable;
    reg  [3:0] write_logic$read_address;
    wire  [3:0] write_logic$write_address_delayed;
    wire  [3:0] write_logic$fill_level;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    engine_w16_pack2_b1_c256__fifo__fifo__ram ram(
        .read_address(ram$read_address),
        .read_clock(ram$read_clock),
        .read_data(ram$read_data),
        .write_address(ram$write_address),
        .write_clock(ram$write_clock),
        .write_data(ram$write_data),
        .write_enable(ram$write_enable)
    );
    engine_w16_pack2_b1_c256__fifo__fifo__read_logic read_logic(
        .clock(read_logic$clock),
        .read(read_logic$read),
        .data_out(read_logic$data_out),
        .empty(read_logic$empty),
        .almost_empty(read_logic$almost_empty),
        .underflow(read_logic$underflow),
        .write_address_delayed(read_logic$write_address_delayed),
        .ram_read_address(read_logic$ram_read_address),
        .ram_read_data(read_logic$ram_read_data),
        .ram_read_clock(read_logic$ram_read_clock),
        .read_address_out(read_logic$read_address_out),
        .fill_level(read_logic$fill_level)
    );
    engine_w16_pack2_b1_c256__fifo__fifo__write_logic write_logic(
        .write(write_logic$write),
        .data_in(write_logic$data_in),
        .full(write_logic$full),
        .almost_full(write_logic$almost_full),
        .overflow(write_logic$overflow),
        .clock(write_logic$clock),
        .ram_write_address(write_logic$ram_write_address),
        .ram_write_clock(write_logic$ram_write_clock),
        .ram_write_data(write_logic$ram_write_data),
        .ram_write_enable(write_logic$ram_write_enable),
        .read_address(write_logic$read_address),
        .write_address_delayed(write_logic$write_address_delayed),
        .fill_level(write_logic$fill_level)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        read_logic$clock = clock;
        write_logic$clock = clock;
        read_logic$read = read;
        empty = read_logic$empty;
        almost_empty = read_logic$almost_empty;
        data_out = read_logic$data_out;
        underflow = read_logic$underflow;
        overflow = write_logic$overflow;
        almost_full = write_logic$almost_full;
        full = write_logic$full;
        write_logic$write = write;
        write_logic$data_in = data_in;
        ram$write_clock = clock;
        ram$write_enable = write_logic$ram_write_enable;
        ram$write_address = write_logic$ram_write_address;
        ram$write_data = write_logic$ram_write_data;
        ram$read_clock = clock;
        ram$read_address = read_logic$ram_read_address;
        read_logic$ram_read_data = ram$read_data;
        read_logic$write_address_delayed = write_logic$write_address_delayed;
        write_logic$read_address = read_logic$read_address_out;
    end
    
/* verilator lint_on WIDTH */
endmodule // engine_w16_pack2_b1_c256__fifo__fifo


module engine_w16_pack2_b1_c256__fifo__fifo__ram(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [2:0] read_address;
    input wire  read_clock;
    output reg  [16:0] read_data;
    input wire  [2:0] write_address;
    input wire  write_clock;
    input wire  [16:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    reg[16:0] mem[7:0];
    
    
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
                
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__ram


module engine_w16_pack2_b1_c256__fifo__fifo__read_logic(clock,read,data_out,empty,almost_empty,underflow,write_address_delayed,ram_read_address,ram_read_data,ram_read_clock,read_address_out,fill_level);
    
    // Module arguments
    input wire  clock;
    input wire  read;
    output reg  [16:0] data_out;
    output reg  empty;
    output reg  almost_empty;
    output reg  underflow;
    input wire  [3:0] write_address_delayed;
    output reg  [2:0] ram_read_address;
    input wire  [16:0] ram_read_data;
    output reg  ram_read_clock;
    output reg  [3:0] read_address_out;
    output reg  [3:0] fill_level;
    
    // Constant declarations
    localparam  fifo_address_mask = 4'h7;
    localparam  fifo_size = 4'h8;
    localparam  block_size = 4'h1;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [3:0] read_address$d;
    wire  [3:0] read_address$q;
    reg  read_address$clock;
    reg  dff_underflow$d;
    wire  dff_underflow$q;
    reg  dff_underflow$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  is_empty;
    reg  is_full;
    
    // Sub module instances
    engine_w16_pack2_b1_c256__fifo__fifo__read_logic__read_address read_address(
        .d(read_address$d),
        .q(read_address$q),
        .clock(read_address$clock)
    );
    engine_w16_pack2_b1_c256__fifo__fifo__read_logic__dff_underflow dff_underflow(
        .d(dff_underflow$d),
        .q(dff_underflow$q),
        .clock(dff_underflow$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        read_address$clock = clock;
        dff_underflow$clock = clock;
        read_address$d = read_address$q;
        dff_underflow$d = dff_underflow$q;
        ram_read_clock = clock;
        is_empty = (read_address$q == write_address_delayed);
        is_full = ~is_empty & ((read_address$q & fifo_address_mask) == (write_address_delayed & fifo_address_mask));
        fill_level = ((write_address_delayed & fifo_address_mask) + fifo_size - (read_address$q & fifo_address_mask)) & fifo_address_mask;
        if (is_full) begin
            fill_level = fifo_size;
        end
        almost_empty = (fill_level < block_size);
        empty = is_empty;
        ram_read_address = ((read_address$q & fifo_address_mask) & 3'h7);
        data_out = ram_read_data;
        if (read & ~is_empty) begin
            read_address$d = read_address$q + 32'h1;
            ram_read_address = (((read_address$q + 32'h1) & fifo_address_mask) & 3'h7);
        end
        else begin
            read_address$d = read_address$q;
        end
        dff_underflow$d = dff_underflow$q | (is_empty & read);
        underflow = dff_underflow$q;
        read_address_out = read_address$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__read_logic


module engine_w16_pack2_b1_c256__fifo__fifo__read_logic__dff_underflow(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__read_logic__dff_underflow


module engine_w16_pack2_b1_c256__fifo__fifo__read_logic__read_address(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__read_logic__read_address


module engine_w16_pack2_b1_c256__fifo__fifo__write_logic(write,data_in,full,almost_full,overflow,clock,ram_write_address,ram_write_clock,ram_write_data,ram_write_enable,read_address,write_address_delayed,fill_level);
    
    // Module arguments
    input wire  write;
    input wire  [16:0] data_in;
    output reg  full;
    output reg  almost_full;
    output reg  overflow;
    input wire  clock;
    output reg  [2:0] ram_write_address;
    output reg  ram_write_clock;
    output reg  [16:0] ram_write_data;
    output reg  ram_write_enable;
    input wire  [3:0] read_address;
    output reg  [3:0] write_address_delayed;
    output reg  [3:0] fill_level;
    
    // Constant declarations
    localparam  fifo_address_mask = 4'h7;
    localparam  fifo_size = 4'h8;
    localparam  almost_full_level = 4'h7;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [3:0] write_address$d;
    wire  [3:0] write_address$q;
    reg  write_address$clock;
    reg  [3:0] dff_write_address_delay$d;
    wire  [3:0] dff_write_address_delay$q;
    reg  dff_write_address_delay$clock;
    reg  dff_overflow$d;
    wire  dff_overflow$q;
    reg  dff_overflow$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  is_empty;
    reg  is_full;
    
    // Sub module instances
    engine_w16_pack2_b1_c256__fifo__fifo__write_logic__write_address write_address(
        .d(write_address$d),
        .q(write_address$q),
        .clock(write_address$clock)
    );
    engine_w16_pack2_b1_c256__fifo__fifo__write_logic__dff_write_address_delay dff_write_address_delay(
        .d(dff_write_address_delay$d),
        .q(dff_write_address_delay$q),
        .clock(dff_write_address_delay$clock)
    );
    engine_w16_pack2_b1_c256__fifo__fifo__write_logic__dff_overflow dff_overflow(
        .d(dff_overflow$d),
        .q(dff_overflow$q),
        .clock(dff_overflow$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        dff_overflow$clock = clock;
        write_address$clock = clock;
        dff_write_address_delay$clock = clock;
        dff_overflow$d = dff_overflow$q;
        write_address$d = write_address$q;
        dff_write_address_delay$d = dff_write_address_delay$q;
        ram_write_clock = clock;
        dff_write_address_delay$d = write_address$q;
        write_address_delayed = dff_write_address_delay$q;
        ram_write_enable = 1'b0;
        is_empty = (read_address == dff_write_address_delay$q);
        is_full = ~is_empty & ((read_address & fifo_address_mask) == (write_address$q & fifo_address_mask));
        fill_level = ((dff_write_address_delay$q & fifo_address_mask) + fifo_size - (read_address & fifo_address_mask)) & fifo_address_mask;
        if (is_full) begin
            fill_level = fifo_size;
        end
        almost_full = (fill_level >= almost_full_level);
        full = is_full;
        ram_write_address = ((write_address$q & fifo_address_mask) & 3'h7);
        ram_write_data = data_in;
        if (write & ~is_full) begin
            write_address$d = write_address$q + 32'h1;
            ram_write_enable = 1'b1;
        end
        else begin
            write_address$d = write_address$q;
            ram_write_enable = 1'b0;
        end
        dff_overflow$d = dff_overflow$q | (is_full & write);
        overflow = dff_overflow$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__write_logic


module engine_w16_pack2_b1_c256__fifo__fifo__write_logic__dff_overflow(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__write_logic__dff_overflow


module engine_w16_pack2_b1_c256__fifo__fifo__write_logic__dff_write_address_delay(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__write_logic__dff_write_address_delay


module engine_w16_pack2_b1_c256__fifo__fifo__write_logic__write_address(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // engine_w16_pack2_b1_c256__fifo__fifo__write_logic__write_address


module engine_w16_pack2_b1_c256__reduce(clock,in_valid,in_first,in_last,lanes,neg,out_valid,out_first,out_last,sums,neg_sum);
    
    // Module arguments
    input wire  clock;
    input wire  in_valid;
    input wire  in_first;
    input wire  in_last;
    input wire  [63:0] lanes;
    input wire  [7:0] neg;
    output reg  out_valid;
    output reg  out_first;
    output reg  out_last;
    output reg  [10:0] sums;
    output reg  [3:0] neg_sum;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  trees$0$clock;
    reg  trees$0$in_valid;
    reg  [63:0] trees$0$in_data;
    wire  trees$0$out_valid;
    wire signed [10:0] trees$0$out_sum;
    reg  neg_tree$clock;
    reg  neg_tree$in_valid;
    reg  [7:0] neg_tree$in_data;
    wire  neg_tree$out_valid;
    wire signed [3:0] neg_tree$out_sum;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    engine_w16_pack2_b1_c256__reduce__trees__0 trees$0(
        .clock(trees$0$clock),
        .in_valid(trees$0$in_valid),
        .in_data(trees$0$in_data),
        .out_valid(trees$0$out_valid),
        .out_sum(trees$0$out_sum)
    );
    engine_w16_pack2_b1_c256__reduce__neg_tree neg_tree(
        .clock(neg_tree$clock),
        .in_valid(neg_tree$in_valid),
        .in_data(neg_tree$in_data),
        .out_valid(neg_tree$out_valid),
        .out_sum(neg_tree$out_sum)
    );
    
    // Update code (custom)
    always @(*) begin
        trees$0$clock = clock;
        trees$0$in_valid = in_valid;
        trees$0$in_data = lanes[63:0];
        neg_tree$clock = clock;
        neg_tree$in_valid = in_valid;
        neg_tree$in_data = neg;
        sums = {trees$0$out_sum};
        neg_sum = neg_tree$out_sum;
        out_valid = valid_3; out_first = first_3; out_last = last_3;
    end
    reg valid_1, first_1, last_1;
    reg valid_2, first_2, last_2;
    reg valid_3, first_3, last_3;
    initial begin
        valid_1 = 1'b0; first_1 = 1'b0; last_1 = 1'b0;
        valid_2 = 1'b0; first_2 = 1'b0; last_2 = 1'b0;
        valid_3 = 1'b0; first_3 = 1'b0; last_3 = 1'b0;
    end
    always @(posedge clock) begin
        valid_1 <= in_valid; first_1 <= in_first; last_1 <= in_last;
        valid_2 <= valid_1; first_2 <= first_1; last_2 <= last_1;
        valid_3 <= valid_2; first_3 <= first_2; last_3 <= last_2;
    end
endmodule // engine_w16_pack2_b1_c256__reduce


module engine_w16_pack2_b1_c256__reduce__neg_tree(clock,in_valid,in_data,out_valid,out_sum);
    
    // Module arguments
    input wire  clock;
    input wire  in_valid;
    input wire  [7:0] in_data;
    output reg  out_valid;
    output reg signed [3:0] out_sum;
    
    // Update code (custom)
    wire signed [0:0] s0_0 = in_data[0];
    wire signed [0:0] s0_1 = in_data[1];
    wire signed [0:0] s0_2 = in_data[2];
    wire signed [0:0] s0_3 = in_data[3];
    wire signed [0:0] s0_4 = in_data[4];
    wire signed [0:0] s0_5 = in_data[5];
    wire signed [0:0] s0_6 = in_data[6];
    wire signed [0:0] s0_7 = in_data[7];
    reg signed [1:0] s1_0;
    reg signed [1:0] s1_1;
    reg signed [1:0] s1_2;
    reg signed [1:0] s1_3;
    reg signed [2:0] s2_0;
    reg signed [2:0] s2_1;
    reg signed [3:0] s3_0;
    reg valid_1;
    reg valid_2;
    reg valid_3;
    initial begin
        s1_0 = 2'd0;
        s1_1 = 2'd0;
        s1_2 = 2'd0;
        s1_3 = 2'd0;
        s2_0 = 3'd0;
        s2_1 = 3'd0;
        s3_0 = 4'd0;
        valid_1 = 1'b0;
        valid_2 = 1'b0;
        valid_3 = 1'b0;
    end
    always @(posedge clock) begin
        s1_0 <= $signed({s0_0[0], s0_0}) + $signed({s0_1[0], s0_1});
        s1_1 <= $signed({s0_2[0], s0_2}) + $signed({s0_3[0], s0_3});
        s1_2 <= $signed({s0_4[0], s0_4}) + $signed({s0_5[0], s0_5});
        s1_3 <= $signed({s0_6[0], s0_6}) + $signed({s0_7[0], s0_7});
        s2_0 <= $signed({s1_0[1], s1_0}) + $signed({s1_1[1], s1_1});
        s2_1 <= $signed({s1_2[1], s1_2}) + $signed({s1_3[1], s1_3});
        s3_0 <= $signed({s2_0[2], s2_0}) + $signed({s2_1[2], s2_1});
        valid_1 <= in_valid;
        valid_2 <= valid_1;
        valid_3 <= valid_2;
    end
    always @(*) begin
        out_sum = s3_0;
        out_valid = valid_3;
    end
endmodule // engine_w16_pack2_b1_c256__reduce__neg_tree


module engine_w16_pack2_b1_c256__reduce__trees__0(clock,in_valid,in_data,out_valid,out_sum);
    
    // Module arguments
    input wire  clock;
    input wire  in_valid;
    input wire  [63:0] in_data;
    output reg  out_valid;
    output reg signed [10:0] out_sum;
    
    // Update code (custom)
    wire signed [7:0] s0_0 = in_data[7:0];
    wire signed [7:0] s0_1 = in_data[15:8];
    wire signed [7:0] s0_2 = in_data[23:16];
    wire signed [7:0] s0_3 = in_data[31:24];
    wire signed [7:0] s0_4 = in_data[39:32];
    wire signed [7:0] s0_5 = in_data[47:40];
    wire signed [7:0] s0_6 = in_data[55:48];
    wire signed [7:0] s0_7 = in_data[63:56];
    reg signed [8:0] s1_0;
    reg signed [8:0] s1_1;
    reg signed [8:0] s1_2;
    reg signed [8:0] s1_3;
    reg signed [9:0] s2_0;
    reg signed [9:0] s2_1;
    reg signed [10:0] s3_0;
    reg valid_1;
    reg valid_2;
    reg valid_3;
    initial begin
        s1_0 = 9'd0;
        s1_1 = 9'd0;
        s1_2 = 9'd0;
        s1_3 = 9'd0;
        s2_0 = 10'd0;
        s2_1 = 10'd0;
        s3_0 = 11'd0;
        valid_1 = 1'b0;
        valid_2 = 1'b0;
        valid_3 = 1'b0;
    end
    always @(posedge clock) begin
        s1_0 <= $signed({s0_0[7], s0_0}) + $signed({s0_1[7], s0_1});
        s1_1 <= $signed({s0_2[7], s0_2}) + $signed({s0_3[7], s0_3});
        s1_2 <= $signed({s0_4[7], s0_4}) + $signed({s0_5[7], s0_5});
        s1_3 <= $signed({s0_6[7], s0_6}) + $signed({s0_7[7], s0_7});
        s2_0 <= $signed({s1_0[8], s1_0}) + $signed({s1_1[8], s1_1});
        s2_1 <= $signed({s1_2[8], s1_2}) + $signed({s1_3[8], s1_3});
        s3_0 <= $signed({s2_0[9], s2_0}) + $signed({s2_1[9], s2_1});
        valid_1 <= in_valid;
        valid_2 <= valid_1;
        valid_3 <= valid_2;
    end
    always @(*) begin
        out_sum = s3_0;
        out_valid = valid_3;
    end
endmodule // engine_w16_pack2_b1_c256__reduce__trees__0
`default_nettype wire
// neuron_unit_1x64_base: generated from a rust-hdl design by mmfree-hdl; do not edit.
/* verilator lint_off DECLFILENAME */
`default_nettype none


module neuron_unit_1x64_base(clock,cfg_valid,cfg_ready,cfg_addr,cfg_data,st_valid,st_ready,st_index,st_keep,st_data,in_valid,in_ready,in_index,in_keep,in_data,out_valid,out_ready,out_index,out_keep,out_data,idle);
    
    // Module arguments
    input wire  clock;
    input wire  cfg_valid;
    output reg  cfg_ready;
    input wire  [7:0] cfg_addr;
    input wire  [31:0] cfg_data;
    input wire  st_valid;
    output reg  st_ready;
    input wire  [5:0] st_index;
    input wire  st_keep;
    input wire  [131:0] st_data;
    input wire  in_valid;
    output reg  in_ready;
    input wire  [5:0] in_index;
    input wire  in_keep;
    input wire  [63:0] in_data;
    output reg  out_valid;
    input wire  out_ready;
    output reg  [5:0] out_index;
    output reg  out_keep;
    output reg  [164:0] out_data;
    output reg  idle;
    
    // Constant declarations
    localparam  in_at$0 = 16'h0;
    localparam  f_at$0 = 16'h21;
    localparam  st_at$0 = 16'h0;
    localparam  lane_bit$0 = 1'b1;
    localparam  keep_at = 16'h6;
    localparam  data_at = 16'h7;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  registers$clock;
    reg  registers$write;
    reg  [7:0] registers$addr;
    reg  [31:0] registers$data;
    wire  [362:0] registers$regs;
    reg  lanes$0$clock;
    reg  lanes$0$ce;
    reg  [362:0] lanes$0$regs;
    reg  [32:0] lanes$0$x;
    reg  [30:0] lanes$0$f;
    reg  [131:0] lanes$0$word;
    wire  [164:0] lanes$0$record;
    wire  [131:0] lanes$0$word_next;
    reg  [5:0] rams$0$read_address;
    reg  rams$0$read_clock;
    wire  [131:0] rams$0$read_data;
    reg  [5:0] rams$0$write_address;
    reg  rams$0$write_clock;
    reg  [131:0] rams$0$write_data;
    reg  rams$0$write_enable;
    reg  skid$clock;
    reg  skid$in_valid;
    wire  skid$in_ready;
    reg  [171:0] skid$in_data;
    wire  skid$out_valid;
    reg  skid$out_ready;
    wire  [171:0] skid$out_data;
    reg  s0_valid$d;
    wire  s0_valid$q;
    reg  s0_valid$clock;
    reg  [5:0] s0_index$d;
    wire  [5:0] s0_index$q;
    reg  s0_index$clock;
    reg  s0_keep$d;
    wire  s0_keep$q;
    reg  s0_keep$clock;
    reg  [63:0] s0_data$d;
    wire  [63:0] s0_data$q;
    reg  s0_data$clock;
    reg  valid_late$clock;
    reg  valid_late$ce;
    reg  valid_late$d;
    wire  valid_late$q;
    reg  index_late$clock;
    reg  index_late$ce;
    reg  [5:0] index_late$d;
    wire  [5:0] index_late$q;
    reg  keep_late$clock;
    reg  keep_late$ce;
    reg  keep_late$d;
    wire  keep_late$q;
    reg  [7:0] in_flight$d;
    wire  [7:0] in_flight$q;
    reg  in_flight$clock;
    reg  [164:0] places$0$a;
    wire  [164:0] places$0$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  advance;
    reg  write_back;
    reg  st_fire;
    reg  idle_now;
    reg  [164:0] pack$0;
    reg  [164:0] bus;
    
    // Sub module instances
    neuron_unit_1x64_base__registers registers(
        .clock(registers$clock),
        .write(registers$write),
        .addr(registers$addr),
        .data(registers$data),
        .regs(registers$regs)
    );
    neuron_unit_1x64_base__lanes__0 lanes$0(
        .clock(lanes$0$clock),
        .ce(lanes$0$ce),
        .regs(lanes$0$regs),
        .x(lanes$0$x),
        .f(lanes$0$f),
        .word(lanes$0$word),
        .record(lanes$0$record),
        .word_next(lanes$0$word_next)
    );
    neuron_unit_1x64_base__rams__0 rams$0(
        .read_address(rams$0$read_address),
        .read_clock(rams$0$read_clock),
        .read_data(rams$0$read_data),
        .write_address(rams$0$write_address),
        .write_clock(rams$0$write_clock),
        .write_data(rams$0$write_data),
        .write_enable(rams$0$write_enable)
    );
    neuron_unit_1x64_base__skid skid(
        .clock(skid$clock),
        .in_valid(skid$in_valid),
        .in_ready(skid$in_ready),
        .in_data(skid$in_data),
        .out_valid(skid$out_valid),
        .out_ready(skid$out_ready),
        .out_data(skid$out_data)
    );
    neuron_unit_1x64_base__s0_valid s0_valid(
        .d(s0_valid$d),
        .q(s0_valid$q),
        .clock(s0_valid$clock)
    );
    neuron_unit_1x64_base__s0_index s0_index(
        .d(s0_index$d),
        .q(s0_index$q),
        .clock(s0_index$clock)
    );
    neuron_unit_1x64_base__s0_keep s0_keep(
        .d(s0_keep$d),
        .q(s0_keep$q),
        .clock(s0_keep$clock)
    );
    neuron_unit_1x64_base__s0_data s0_data(
        .d(s0_data$d),
        .q(s0_data$q),
        .clock(s0_data$clock)
    );
    neuron_unit_1x64_base__valid_late valid_late(
        .clock(valid_late$clock),
        .ce(valid_late$ce),
        .d(valid_late$d),
        .q(valid_late$q)
    );
    neuron_unit_1x64_base__index_late index_late(
        .clock(index_late$clock),
        .ce(index_late$ce),
        .d(index_late$d),
        .q(index_late$q)
    );
    neuron_unit_1x64_base__keep_late keep_late(
        .clock(keep_late$clock),
        .ce(keep_late$ce),
        .d(keep_late$d),
        .q(keep_late$q)
    );
    neuron_unit_1x64_base__in_flight in_flight(
        .d(in_flight$d),
        .q(in_flight$q),
        .clock(in_flight$clock)
    );
    neuron_unit_1x64_base__places__0 places$0(
        .a(places$0$a),
        .q(places$0$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        s0_valid$clock = clock;
        s0_index$clock = clock;
        s0_keep$clock = clock;
        s0_data$clock = clock;
        in_flight$clock = clock;
        s0_valid$d = s0_valid$q;
        s0_index$d = s0_index$q;
        s0_keep$d = s0_keep$q;
        s0_data$d = s0_data$q;
        in_flight$d = in_flight$q;
        registers$clock = clock;
        skid$clock = clock;
        valid_late$clock = clock;
        index_late$clock = clock;
        keep_late$clock = clock;
        advance = skid$in_ready | ~valid_late$q;
        write_back = valid_late$q & advance;
        st_ready = ~write_back;
        st_fire = st_valid & ~write_back;
        in_ready = advance;
        idle_now = (in_flight$q == 64'h0) & ~skid$out_valid & skid$in_ready;
        idle = idle_now;
        cfg_ready = idle_now;
        registers$write = cfg_valid & idle_now;
        registers$addr = cfg_addr;
        registers$data = cfg_data;
        if (advance) begin
            s0_valid$d = in_valid;
            s0_index$d = in_index;
            s0_keep$d = in_keep;
            s0_data$d = in_data;
            if (in_valid & ~valid_late$q) begin
                in_flight$d = in_flight$q + 64'h1;
            end
            if (~in_valid & valid_late$q) begin
                in_flight$d = in_flight$q - 64'h1;
            end
        end
        valid_late$ce = advance;
        index_late$ce = advance;
        keep_late$ce = advance;
        valid_late$d = s0_valid$q;
        index_late$d = s0_index$q;
        keep_late$d = s0_keep$q;
        lanes$0$clock = clock;
        lanes$0$ce = advance;
        lanes$0$regs = registers$regs;
        lanes$0$x = s0_data$q[(in_at$0)+:(33)];
        lanes$0$f = s0_data$q[(f_at$0)+:(31)];
        lanes$0$word = rams$0$read_data;
        rams$0$read_clock = clock;
        rams$0$write_clock = clock;
        rams$0$read_address = s0_index$q;
        if (advance) begin
            rams$0$read_address = in_index;
        end
        rams$0$write_enable = st_fire & |(st_keep & lane_bit$0);
        rams$0$write_address = st_index;
        rams$0$write_data = st_data[(st_at$0)+:(132)];
        if (write_back) begin
            rams$0$write_enable = |(keep_late$q & lane_bit$0);
            rams$0$write_address = index_late$q;
            rams$0$write_data = lanes$0$word_next;
        end
        places$0$a = lanes$0$record;
        pack$0 = places$0$q;
        bus = pack$0;
        skid$in_valid = valid_late$q;
        skid$in_data = ((index_late$q) & 172'hfffffffffffffffffffffffffffffffffffffffffff) | (((keep_late$q) & 172'hfffffffffffffffffffffffffffffffffffffffffff) << keep_at) | (((bus) & 172'hfffffffffffffffffffffffffffffffffffffffffff) << data_at);
        skid$out_ready = out_ready;
        out_valid = skid$out_valid;
        out_index = skid$out_data[(32'h0)+:(6)];
        out_keep = skid$out_data[(keep_at)+:(1)];
        out_data = skid$out_data[(data_at)+:(165)];
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base


module neuron_unit_1x64_base__in_flight(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__in_flight


module neuron_unit_1x64_base__index_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [5:0] d;
    output reg  [5:0] q;
    
    // Update code (custom)
    (* ram_style = "block", no_rw_check *) reg [5:0] mem [0:16];
    reg [4:0] wp;
    reg [4:0] rp;
    reg [5:0] rd;
    integer i;
    initial begin
        wp = 5'd0;
        rp = 5'd1;
        for (i = 0; i < 17; i = i + 1) mem[i] = 6'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            mem[wp] <= d;
            rd <= mem[rp];
            wp <= (wp == 5'd16) ? 5'd0 : wp + 5'd1;
            rp <= (rp == 5'd16) ? 5'd0 : rp + 5'd1;
        end
    end
    always @(*) q = rd;
endmodule // neuron_unit_1x64_base__index_late


module neuron_unit_1x64_base__keep_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  d;
    output reg  q;
    
    // Update code (custom)
    reg [0:0] line0;
    initial line0 = 1'd0;
    reg [0:0] line1;
    initial line1 = 1'd0;
    reg [0:0] line2;
    initial line2 = 1'd0;
    reg [0:0] line3;
    initial line3 = 1'd0;
    reg [0:0] line4;
    initial line4 = 1'd0;
    reg [0:0] line5;
    initial line5 = 1'd0;
    reg [0:0] line6;
    initial line6 = 1'd0;
    reg [0:0] line7;
    initial line7 = 1'd0;
    reg [0:0] line8;
    initial line8 = 1'd0;
    reg [0:0] line9;
    initial line9 = 1'd0;
    reg [0:0] line10;
    initial line10 = 1'd0;
    reg [0:0] line11;
    initial line11 = 1'd0;
    reg [0:0] line12;
    initial line12 = 1'd0;
    reg [0:0] line13;
    initial line13 = 1'd0;
    reg [0:0] line14;
    initial line14 = 1'd0;
    reg [0:0] line15;
    initial line15 = 1'd0;
    reg [0:0] line16;
    initial line16 = 1'd0;
    always @(posedge clock) begin
        if (ce) begin
            line0 <= d;
            line1 <= line0;
            line2 <= line1;
            line3 <= line2;
            line4 <= line3;
            line5 <= line4;
            line6 <= line5;
            line7 <= line6;
            line8 <= line7;
            line9 <= line8;
            line10 <= line9;
            line11 <= line10;
            line12 <= line11;
            line13 <= line12;
            line14 <= line13;
            line15 <= line14;
            line16 <= line15;
        end
    end
    always @(*) q = line16;
endmodule // neuron_unit_1x64_base__keep_late


module neuron_unit_1x64_base__lanes__0(clock,ce,regs,x,f,word,record,word_next);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [362:0] regs;
    input wire  [32:0] x;
    input wire  [30:0] f;
    input wire  [131:0] word;
    output reg  [164:0] record;
    output reg  [131:0] word_next;
    
    // Constant declarations
    localparam  at_word$0 = 8'h0;
    localparam  at_word$1 = 8'h21;
    localparam  at_word$2 = 8'h42;
    localparam  at_word$3 = 8'h63;
    localparam  at_record$0 = 8'h0;
    localparam  at_record$1 = 8'h21;
    localparam  at_record$2 = 8'h42;
    localparam  at_record$3 = 8'h63;
    localparam  at_record$4 = 8'h84;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  front$clock;
    reg  front$ce;
    reg  [362:0] front$regs;
    reg  [32:0] front$x;
    reg  [32:0] front$u;
    reg  [32:0] front$th;
    reg  [32:0] front$r;
    wire  [51:0] front$drive;
    wire  [32:0] front$u_next;
    wire  [34:0] front$thr;
    wire  [32:0] front$th_next;
    wire  [32:0] front$r_next;
    reg  membrane$clock;
    reg  membrane$ce;
    reg  [362:0] membrane$regs;
    reg  [32:0] membrane$v;
    reg  [30:0] membrane$f;
    reg  [51:0] membrane$drive;
    wire  [32:0] membrane$v_next;
    reg  fire$clock;
    reg  fire$ce;
    reg  [362:0] fire$regs;
    reg  [32:0] fire$v;
    reg  [34:0] fire$thr;
    wire  [32:0] fire$out;
    wire  [32:0] fire$v_out;
    wire  [34:0] fire$thr_out;
    reg  reset_stage$clock;
    reg  reset_stage$ce;
    reg  [362:0] reset_stage$regs;
    reg  [32:0] reset_stage$out;
    reg  [32:0] reset_stage$v;
    reg  [34:0] reset_stage$thr;
    reg  [32:0] reset_stage$th;
    reg  [32:0] reset_stage$r;
    wire  [32:0] reset_stage$out_next;
    wire  [32:0] reset_stage$v_next;
    wire  [32:0] reset_stage$th_next;
    wire  [32:0] reset_stage$r_next;
    reg  u_late$clock;
    reg  u_late$ce;
    reg  [32:0] u_late$d;
    wire  [32:0] u_late$q;
    reg  thr_late$clock;
    reg  thr_late$ce;
    reg  [34:0] thr_late$d;
    wire  [34:0] thr_late$q;
    reg  th_late$clock;
    reg  th_late$ce;
    reg  [32:0] th_late$d;
    wire  [32:0] th_late$q;
    reg  r_late$clock;
    reg  r_late$ce;
    reg  [32:0] r_late$d;
    wire  [32:0] r_late$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front front(
        .clock(front$clock),
        .ce(front$ce),
        .regs(front$regs),
        .x(front$x),
        .u(front$u),
        .th(front$th),
        .r(front$r),
        .drive(front$drive),
        .u_next(front$u_next),
        .thr(front$thr),
        .th_next(front$th_next),
        .r_next(front$r_next)
    );
    neuron_unit_1x64_base__lanes__0__membrane membrane(
        .clock(membrane$clock),
        .ce(membrane$ce),
        .regs(membrane$regs),
        .v(membrane$v),
        .f(membrane$f),
        .drive(membrane$drive),
        .v_next(membrane$v_next)
    );
    neuron_unit_1x64_base__lanes__0__fire fire(
        .clock(fire$clock),
        .ce(fire$ce),
        .regs(fire$regs),
        .v(fire$v),
        .thr(fire$thr),
        .out(fire$out),
        .v_out(fire$v_out),
        .thr_out(fire$thr_out)
    );
    neuron_unit_1x64_base__lanes__0__reset_stage reset_stage(
        .clock(reset_stage$clock),
        .ce(reset_stage$ce),
        .regs(reset_stage$regs),
        .out(reset_stage$out),
        .v(reset_stage$v),
        .thr(reset_stage$thr),
        .th(reset_stage$th),
        .r(reset_stage$r),
        .out_next(reset_stage$out_next),
        .v_next(reset_stage$v_next),
        .th_next(reset_stage$th_next),
        .r_next(reset_stage$r_next)
    );
    neuron_unit_1x64_base__lanes__0__u_late u_late(
        .clock(u_late$clock),
        .ce(u_late$ce),
        .d(u_late$d),
        .q(u_late$q)
    );
    neuron_unit_1x64_base__lanes__0__thr_late thr_late(
        .clock(thr_late$clock),
        .ce(thr_late$ce),
        .d(thr_late$d),
        .q(thr_late$q)
    );
    neuron_unit_1x64_base__lanes__0__th_late th_late(
        .clock(th_late$clock),
        .ce(th_late$ce),
        .d(th_late$d),
        .q(th_late$q)
    );
    neuron_unit_1x64_base__lanes__0__r_late r_late(
        .clock(r_late$clock),
        .ce(r_late$ce),
        .d(r_late$d),
        .q(r_late$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        front$clock = clock;
        membrane$clock = clock;
        fire$clock = clock;
        reset_stage$clock = clock;
        u_late$clock = clock;
        thr_late$clock = clock;
        th_late$clock = clock;
        r_late$clock = clock;
        front$ce = ce;
        membrane$ce = ce;
        fire$ce = ce;
        reset_stage$ce = ce;
        u_late$ce = ce;
        thr_late$ce = ce;
        th_late$ce = ce;
        r_late$ce = ce;
        front$regs = regs;
        membrane$regs = regs;
        fire$regs = regs;
        reset_stage$regs = regs;
        front$x = x;
        front$u = word[(at_word$0)+:(33)];
        front$th = word[(at_word$2)+:(33)];
        front$r = word[(at_word$3)+:(33)];
        membrane$v = word[(at_word$1)+:(33)];
        membrane$f = f;
        membrane$drive = front$drive;
        u_late$d = front$u_next;
        thr_late$d = front$thr;
        th_late$d = front$th_next;
        r_late$d = front$r_next;
        fire$v = membrane$v_next;
        fire$thr = thr_late$q;
        reset_stage$out = fire$out;
        reset_stage$v = fire$v_out;
        reset_stage$thr = fire$thr_out;
        reset_stage$th = th_late$q;
        reset_stage$r = r_late$q;
        record = (((reset_stage$out_next) & 165'h1fffffffffffffffffffffffffffffffffffffffff) << at_record$0) | (((reset_stage$v_next) & 165'h1fffffffffffffffffffffffffffffffffffffffff) << at_record$1) | (((u_late$q) & 165'h1fffffffffffffffffffffffffffffffffffffffff) << at_record$2) | (((reset_stage$th_next) & 165'h1fffffffffffffffffffffffffffffffffffffffff) << at_record$3) | (((reset_stage$r_next) & 165'h1fffffffffffffffffffffffffffffffffffffffff) << at_record$4);
        word_next = (((u_late$q) & 132'hfffffffffffffffffffffffffffffffff) << at_word$0) | (((reset_stage$v_next) & 132'hfffffffffffffffffffffffffffffffff) << at_word$1) | (((reset_stage$th_next) & 132'hfffffffffffffffffffffffffffffffff) << at_word$2) | (((reset_stage$r_next) & 132'hfffffffffffffffffffffffffffffffff) << at_word$3);
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0


module neuron_unit_1x64_base__lanes__0__fire(clock,ce,regs,v,thr,out,v_out,thr_out);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [362:0] regs;
    input wire  [32:0] v;
    input wire  [34:0] thr;
    output reg  [32:0] out;
    output reg  [32:0] v_out;
    output reg  [34:0] thr_out;
    
    // Constant declarations
    localparam  flip = 35'h400000000;
    localparam  sign = 33'h100000000;
    localparam  one = 33'h1;
    localparam  minus_one = 33'h1ffffffff;
    localparam  zero = 33'h0;
    localparam  zero_wide = 35'h0;
    localparam  cmp_ge = 1'b1;
    localparam  fire_codes$0 = 3'b0;
    localparam  fire_codes$1 = 3'b1;
    localparam  fire_codes$2 = 3'b10;
    localparam  fire_codes$3 = 3'b11;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [362:0] params$regs;
    wire  [1:0] params$w_v;
    wire  [1:0] params$w_u;
    wire  [1:0] params$v_ovf;
    wire  [1:0] params$u_ovf;
    wire  [15:0] params$in_gain;
    wire  [4:0] params$in_frac;
    wire  [2:0] params$in_round;
    wire  [51:0] params$in_bias;
    wire  params$use_u;
    wire  [4:0] params$dec_frac;
    wire  [15:0] params$beta_u;
    wire  [15:0] params$beta_v;
    wire  [2:0] params$dec_round;
    wire  [51:0] params$bias;
    wire  [2:0] params$fire;
    wire  params$cmp;
    wire  [34:0] params$vth;
    wire  [34:0] params$vth_lo;
    wire  [32:0] params$d;
    wire  [4:0] params$q_shift;
    wire  [2:0] params$q_round;
    wire  [4:0] params$g_shift;
    wire  params$g_abs;
    wire  [1:0] params$reset;
    wire  [32:0] params$v_reset;
    wire  params$adapt;
    wire  [33:0] params$th0;
    wire  [32:0] params$th_step;
    wire  [15:0] params$beta_th;
    wire  [15:0] params$beta_r;
    wire  params$gated;
    wire  [4:0] params$g_frac;
    wire  [1:0] params$g_form;
    wire  [2:0] params$g_round;
    wire  params$has_current;
    wire  params$has_adapt;
    reg  quotient$clock;
    reg  quotient$ce;
    reg  [32:0] quotient$z;
    reg  [4:0] quotient$n;
    reg  [2:0] quotient$mode;
    wire  [32:0] quotient$q;
    reg  [32:0] v_wide$a;
    wire  [34:0] v_wide$q;
    reg  [32:0] v1$d;
    wire  [32:0] v1$q;
    reg  v1$clock;
    reg  [32:0] v2$d;
    wire  [32:0] v2$q;
    reg  v2$clock;
    reg  [32:0] v3$d;
    wire  [32:0] v3$q;
    reg  v3$clock;
    reg  [34:0] thr1$d;
    wire  [34:0] thr1$q;
    reg  thr1$clock;
    reg  [34:0] thr2$d;
    wire  [34:0] thr2$q;
    reg  thr2$clock;
    reg  [34:0] thr3$d;
    wire  [34:0] thr3$q;
    reg  thr3$clock;
    reg  hi$d;
    wire  hi$q;
    reg  hi$clock;
    reg  lo$d;
    wire  lo$q;
    reg  lo$clock;
    reg  graded_hi$d;
    wire  graded_hi$q;
    reg  graded_hi$clock;
    reg  [32:0] payload$d;
    wire  [32:0] payload$q;
    reg  payload$clock;
    reg  [32:0] out3$d;
    wire  [32:0] out3$q;
    reg  out3$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [34:0] level;
    reg  [34:0] thr_now;
    reg  ge;
    reg  [32:0] choice;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__fire__params params(
        .regs(params$regs),
        .w_v(params$w_v),
        .w_u(params$w_u),
        .v_ovf(params$v_ovf),
        .u_ovf(params$u_ovf),
        .in_gain(params$in_gain),
        .in_frac(params$in_frac),
        .in_round(params$in_round),
        .in_bias(params$in_bias),
        .use_u(params$use_u),
        .dec_frac(params$dec_frac),
        .beta_u(params$beta_u),
        .beta_v(params$beta_v),
        .dec_round(params$dec_round),
        .bias(params$bias),
        .fire(params$fire),
        .cmp(params$cmp),
        .vth(params$vth),
        .vth_lo(params$vth_lo),
        .d(params$d),
        .q_shift(params$q_shift),
        .q_round(params$q_round),
        .g_shift(params$g_shift),
        .g_abs(params$g_abs),
        .reset(params$reset),
        .v_reset(params$v_reset),
        .adapt(params$adapt),
        .th0(params$th0),
        .th_step(params$th_step),
        .beta_th(params$beta_th),
        .beta_r(params$beta_r),
        .gated(params$gated),
        .g_frac(params$g_frac),
        .g_form(params$g_form),
        .g_round(params$g_round),
        .has_current(params$has_current),
        .has_adapt(params$has_adapt)
    );
    neuron_unit_1x64_base__lanes__0__fire__quotient quotient(
        .clock(quotient$clock),
        .ce(quotient$ce),
        .z(quotient$z),
        .n(quotient$n),
        .mode(quotient$mode),
        .q(quotient$q)
    );
    neuron_unit_1x64_base__lanes__0__fire__v_wide v_wide(
        .a(v_wide$a),
        .q(v_wide$q)
    );
    neuron_unit_1x64_base__lanes__0__fire__v1 v1(
        .d(v1$d),
        .q(v1$q),
        .clock(v1$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__v2 v2(
        .d(v2$d),
        .q(v2$q),
        .clock(v2$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__v3 v3(
        .d(v3$d),
        .q(v3$q),
        .clock(v3$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__thr1 thr1(
        .d(thr1$d),
        .q(thr1$q),
        .clock(thr1$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__thr2 thr2(
        .d(thr2$d),
        .q(thr2$q),
        .clock(thr2$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__thr3 thr3(
        .d(thr3$d),
        .q(thr3$q),
        .clock(thr3$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__hi hi(
        .d(hi$d),
        .q(hi$q),
        .clock(hi$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__lo lo(
        .d(lo$d),
        .q(lo$q),
        .clock(lo$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__graded_hi graded_hi(
        .d(graded_hi$d),
        .q(graded_hi$q),
        .clock(graded_hi$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__payload payload(
        .d(payload$d),
        .q(payload$q),
        .clock(payload$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__out3 out3(
        .d(out3$d),
        .q(out3$q),
        .clock(out3$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        v1$clock = clock;
        v2$clock = clock;
        v3$clock = clock;
        thr1$clock = clock;
        thr2$clock = clock;
        thr3$clock = clock;
        hi$clock = clock;
        lo$clock = clock;
        graded_hi$clock = clock;
        payload$clock = clock;
        out3$clock = clock;
        v1$d = v1$q;
        v2$d = v2$q;
        v3$d = v3$q;
        thr1$d = thr1$q;
        thr2$d = thr2$q;
        thr3$d = thr3$q;
        hi$d = hi$q;
        lo$d = lo$q;
        graded_hi$d = graded_hi$q;
        payload$d = payload$q;
        out3$d = out3$q;
        params$regs = regs;
        quotient$clock = clock;
        quotient$ce = ce;
        quotient$z = v;
        quotient$n = params$q_shift;
        quotient$mode = params$q_round;
        v_wide$a = v1$q;
        level = v_wide$q;
        if (params$g_abs & |(v1$q & sign)) begin
            level = zero_wide - v_wide$q;
        end
        ge = params$cmp == cmp_ge;
        thr_now = thr1$q;
        if (~params$has_adapt) begin
            thr_now = params$vth;
        end
        if (ce) begin
            hi$d = (v_wide$q ^ flip) > (thr_now ^ flip);
            graded_hi$d = (level ^ flip) > (thr_now ^ flip);
            if (ge) begin
                hi$d = (v_wide$q ^ flip) >= (thr_now ^ flip);
                graded_hi$d = (level ^ flip) >= (thr_now ^ flip);
            end
            lo$d = (v_wide$q ^ flip) < (params$vth_lo ^ flip);
            payload$d = ((v1$q ^ sign) >> params$g_shift) - (sign >> params$g_shift);
            v1$d = v;
            v2$d = v1$q;
            v3$d = v2$q;
            thr1$d = thr;
            thr2$d = thr1$q;
            thr3$d = thr2$q;
        end
        choice = v2$q;
        if (params$fire == fire_codes$0) begin
            choice = ((hi$q) & 33'h1ffffffff);
        end
        if (params$fire == fire_codes$1) begin
            choice = zero;
            if (lo$q) begin
                choice = minus_one;
            end
            if (hi$q) begin
                choice = one;
            end
        end
        if (params$fire == fire_codes$2) begin
            choice = quotient$q;
            if (quotient$q > params$d) begin
                choice = params$d;
            end
            if (|(quotient$q & sign)) begin
                choice = zero;
            end
        end
        if (params$fire == fire_codes$3) begin
            choice = zero;
            if (graded_hi$q) begin
                choice = payload$q;
            end
        end
        if (ce) begin
            out3$d = choice;
        end
        out = out3$q;
        v_out = v3$q;
        thr_out = thr3$q;
        if (~params$has_adapt) begin
            thr_out = params$vth;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__fire


module neuron_unit_1x64_base__lanes__0__fire__graded_hi(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__graded_hi


module neuron_unit_1x64_base__lanes__0__fire__hi(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__hi


module neuron_unit_1x64_base__lanes__0__fire__lo(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__lo


module neuron_unit_1x64_base__lanes__0__fire__out3(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__out3


module neuron_unit_1x64_base__lanes__0__fire__params(regs,w_v,w_u,v_ovf,u_ovf,in_gain,in_frac,in_round,in_bias,use_u,dec_frac,beta_u,beta_v,dec_round,bias,fire,cmp,vth,vth_lo,d,q_shift,q_round,g_shift,g_abs,reset,v_reset,adapt,th0,th_step,beta_th,beta_r,gated,g_frac,g_form,g_round,has_current,has_adapt);
    
    // Module arguments
    input wire  [362:0] regs;
    output reg  [1:0] w_v;
    output reg  [1:0] w_u;
    output reg  [1:0] v_ovf;
    output reg  [1:0] u_ovf;
    output reg  [15:0] in_gain;
    output reg  [4:0] in_frac;
    output reg  [2:0] in_round;
    output reg  [51:0] in_bias;
    output reg  use_u;
    output reg  [4:0] dec_frac;
    output reg  [15:0] beta_u;
    output reg  [15:0] beta_v;
    output reg  [2:0] dec_round;
    output reg  [51:0] bias;
    output reg  [2:0] fire;
    output reg  cmp;
    output reg  [34:0] vth;
    output reg  [34:0] vth_lo;
    output reg  [32:0] d;
    output reg  [4:0] q_shift;
    output reg  [2:0] q_round;
    output reg  [4:0] g_shift;
    output reg  g_abs;
    output reg  [1:0] reset;
    output reg  [32:0] v_reset;
    output reg  adapt;
    output reg  [33:0] th0;
    output reg  [32:0] th_step;
    output reg  [15:0] beta_th;
    output reg  [15:0] beta_r;
    output reg  gated;
    output reg  [4:0] g_frac;
    output reg  [1:0] g_form;
    output reg  [2:0] g_round;
    output reg  has_current;
    output reg  has_adapt;
    
    // Update code (custom)
    wire unused_absent_fields = &{1'b0, regs[64], regs[257], regs[359:358]};
    always @(*) begin
        w_v = regs[1:0];
        w_u = regs[3:2];
        v_ovf = regs[5:4];
        u_ovf = regs[7:6];
        in_gain = regs[23:8];
        in_frac = regs[28:24];
        in_round = regs[31:29];
        in_bias = {{20{regs[63]}}, regs[63:32]};
        use_u = 1'd0;
        dec_frac = {1'd0, regs[68:65]};
        beta_u = regs[84:69];
        beta_v = regs[100:85];
        dec_round = regs[103:101];
        bias = {{20{regs[135]}}, regs[135:104]};
        fire = regs[138:136];
        cmp = regs[139];
        vth = {{3{regs[171]}}, regs[171:140]};
        vth_lo = {{3{regs[203]}}, regs[203:172]};
        d = {29'd0, regs[207:204]};
        q_shift = regs[212:208];
        q_round = regs[215:213];
        g_shift = regs[220:216];
        g_abs = regs[221];
        reset = regs[223:222];
        v_reset = regs[256:224];
        adapt = 1'd0;
        th0 = {3'd0, regs[288:258]};
        th_step = {2'd0, regs[319:289]};
        beta_th = regs[335:320];
        beta_r = regs[351:336];
        gated = regs[352];
        g_frac = regs[357:353];
        g_form = 2'd0;
        g_round = regs[362:360];
        has_current = 1'b0;
        has_adapt = 1'b0;
    end
endmodule // neuron_unit_1x64_base__lanes__0__fire__params


module neuron_unit_1x64_base__lanes__0__fire__payload(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__payload


module neuron_unit_1x64_base__lanes__0__fire__quotient(clock,ce,z,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] z;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [32:0] q;
    
    // Constant declarations
    localparam  one = 33'h1;
    localparam  sign = 33'h100000000;
    localparam  rtz = 3'b1;
    localparam  rhu = 3'b10;
    localparam  rhaz = 3'b11;
    localparam  rne = 3'b100;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [32:0] floor$d;
    wire  [32:0] floor$q;
    reg  floor$clock;
    reg  inc$d;
    wire  inc$q;
    reg  inc$clock;
    reg  [32:0] out$d;
    wire  [32:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [32:0] bit_n;
    reg  [32:0] half;
    reg  guard;
    reg  sticky;
    reg  odd;
    reg  neg;
    reg  up;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__fire__quotient__floor floor(
        .d(floor$d),
        .q(floor$q),
        .clock(floor$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__quotient__inc inc(
        .d(inc$d),
        .q(inc$q),
        .clock(inc$clock)
    );
    neuron_unit_1x64_base__lanes__0__fire__quotient__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        floor$clock = clock;
        inc$clock = clock;
        out$clock = clock;
        floor$d = floor$q;
        inc$d = inc$q;
        out$d = out$q;
        q = out$q;
        bit_n = one << n;
        half = bit_n >> 32'h1;
        guard = |(z & half);
        sticky = |(z & (half - one) & (bit_n - one));
        odd = |(z & bit_n);
        neg = |(z & sign);
        up = 1'b0;
        if (mode == rtz) begin
            up = neg & (guard | sticky);
        end
        if (mode == rhu) begin
            up = guard;
        end
        if (mode == rhaz) begin
            up = guard & (sticky | ~neg);
        end
        if (mode == rne) begin
            up = guard & (sticky | odd);
        end
        if (ce) begin
            floor$d = ((z ^ sign) >> n) - (sign >> n);
            inc$d = up;
            out$d = floor$q + inc$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__fire__quotient


module neuron_unit_1x64_base__lanes__0__fire__quotient__floor(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__quotient__floor


module neuron_unit_1x64_base__lanes__0__fire__quotient__inc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__quotient__inc


module neuron_unit_1x64_base__lanes__0__fire__quotient__out(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__quotient__out


module neuron_unit_1x64_base__lanes__0__fire__thr1(d,q,clock);
    
    // Module arguments
    input wire  [34:0] d;
    output reg  [34:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 35'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__thr1


module neuron_unit_1x64_base__lanes__0__fire__thr2(d,q,clock);
    
    // Module arguments
    input wire  [34:0] d;
    output reg  [34:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 35'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__thr2


module neuron_unit_1x64_base__lanes__0__fire__thr3(d,q,clock);
    
    // Module arguments
    input wire  [34:0] d;
    output reg  [34:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 35'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__thr3


module neuron_unit_1x64_base__lanes__0__fire__v1(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__v1


module neuron_unit_1x64_base__lanes__0__fire__v2(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__v2


module neuron_unit_1x64_base__lanes__0__fire__v3(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__fire__v3


module neuron_unit_1x64_base__lanes__0__fire__v_wide(a,q);
    
    // Module arguments
    input wire  [32:0] a;
    output reg  [34:0] q;
    
    // Constant declarations
    localparam  sign_m = 33'h100000000;
    localparam  sign_n = 35'h100000000;
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        q = ((a ^ sign_m) & 35'h7ffffffff) - sign_n;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__fire__v_wide


module neuron_unit_1x64_base__lanes__0__front(clock,ce,regs,x,u,th,r,drive,u_next,thr,th_next,r_next);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [362:0] regs;
    input wire  [32:0] x;
    input wire  [32:0] u;
    input wire  [32:0] th;
    input wire  [32:0] r;
    output reg  [51:0] drive;
    output reg  [32:0] u_next;
    output reg  [34:0] thr;
    output reg  [32:0] th_next;
    output reg  [32:0] r_next;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [362:0] params$regs;
    wire  [1:0] params$w_v;
    wire  [1:0] params$w_u;
    wire  [1:0] params$v_ovf;
    wire  [1:0] params$u_ovf;
    wire  [15:0] params$in_gain;
    wire  [4:0] params$in_frac;
    wire  [2:0] params$in_round;
    wire  [51:0] params$in_bias;
    wire  params$use_u;
    wire  [4:0] params$dec_frac;
    wire  [15:0] params$beta_u;
    wire  [15:0] params$beta_v;
    wire  [2:0] params$dec_round;
    wire  [51:0] params$bias;
    wire  [2:0] params$fire;
    wire  params$cmp;
    wire  [34:0] params$vth;
    wire  [34:0] params$vth_lo;
    wire  [32:0] params$d;
    wire  [4:0] params$q_shift;
    wire  [2:0] params$q_round;
    wire  [4:0] params$g_shift;
    wire  params$g_abs;
    wire  [1:0] params$reset;
    wire  [32:0] params$v_reset;
    wire  params$adapt;
    wire  [33:0] params$th0;
    wire  [32:0] params$th_step;
    wire  [15:0] params$beta_th;
    wire  [15:0] params$beta_r;
    wire  params$gated;
    wire  [4:0] params$g_frac;
    wire  [1:0] params$g_form;
    wire  [2:0] params$g_round;
    wire  params$has_current;
    wire  params$has_adapt;
    reg  gain$clock;
    reg  gain$ce;
    reg  [32:0] gain$a;
    reg  [15:0] gain$b;
    reg  [4:0] gain$n;
    reg  [2:0] gain$mode;
    wire  [51:0] gain$q;
    reg  u_decay$clock;
    reg  u_decay$ce;
    reg  [32:0] u_decay$a;
    reg  [16:0] u_decay$b;
    reg  [4:0] u_decay$n;
    reg  [2:0] u_decay$mode;
    wire  [51:0] u_decay$q;
    reg  th_decay$clock;
    reg  th_decay$ce;
    reg  [33:0] th_decay$a;
    reg  [16:0] th_decay$b;
    reg  [4:0] th_decay$n;
    reg  [2:0] th_decay$mode;
    wire  [51:0] th_decay$q;
    reg  r_decay$clock;
    reg  r_decay$ce;
    reg  [33:0] r_decay$a;
    reg  [16:0] r_decay$b;
    reg  [4:0] r_decay$n;
    reg  [2:0] r_decay$mode;
    wire  [51:0] r_decay$q;
    reg  fit_u$clock;
    reg  fit_u$ce;
    reg  [51:0] fit_u$z;
    reg  [1:0] fit_u$w;
    reg  [1:0] fit_u$ovf;
    wire  [32:0] fit_u$q;
    reg  [32:0] u_wide$a;
    wire  [51:0] u_wide$q;
    reg  [51:0] x_eff$d;
    wire  [51:0] x_eff$q;
    reg  x_eff$clock;
    reg  [51:0] u_dec$d;
    wire  [51:0] u_dec$q;
    reg  u_dec$clock;
    reg  [32:0] th5$d;
    wire  [32:0] th5$q;
    reg  th5$clock;
    reg  [32:0] r5$d;
    wire  [32:0] r5$q;
    reg  r5$clock;
    reg  [51:0] u_pre$d;
    wire  [51:0] u_pre$q;
    reg  u_pre$clock;
    reg  [51:0] x_eff6$d;
    wire  [51:0] x_eff6$q;
    reg  x_eff6$clock;
    reg  [32:0] th6$d;
    wire  [32:0] th6$q;
    reg  th6$clock;
    reg  [32:0] r6$d;
    wire  [32:0] r6$q;
    reg  r6$clock;
    reg  [34:0] thr6$d;
    wire  [34:0] thr6$q;
    reg  thr6$clock;
    reg  [51:0] x_eff7$d;
    wire  [51:0] x_eff7$q;
    reg  x_eff7$clock;
    reg  [32:0] th7$d;
    wire  [32:0] th7$q;
    reg  th7$clock;
    reg  [32:0] r7$d;
    wire  [32:0] r7$q;
    reg  r7$clock;
    reg  [34:0] thr7$d;
    wire  [34:0] thr7$q;
    reg  thr7$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__params params(
        .regs(params$regs),
        .w_v(params$w_v),
        .w_u(params$w_u),
        .v_ovf(params$v_ovf),
        .u_ovf(params$u_ovf),
        .in_gain(params$in_gain),
        .in_frac(params$in_frac),
        .in_round(params$in_round),
        .in_bias(params$in_bias),
        .use_u(params$use_u),
        .dec_frac(params$dec_frac),
        .beta_u(params$beta_u),
        .beta_v(params$beta_v),
        .dec_round(params$dec_round),
        .bias(params$bias),
        .fire(params$fire),
        .cmp(params$cmp),
        .vth(params$vth),
        .vth_lo(params$vth_lo),
        .d(params$d),
        .q_shift(params$q_shift),
        .q_round(params$q_round),
        .g_shift(params$g_shift),
        .g_abs(params$g_abs),
        .reset(params$reset),
        .v_reset(params$v_reset),
        .adapt(params$adapt),
        .th0(params$th0),
        .th_step(params$th_step),
        .beta_th(params$beta_th),
        .beta_r(params$beta_r),
        .gated(params$gated),
        .g_frac(params$g_frac),
        .g_form(params$g_form),
        .g_round(params$g_round),
        .has_current(params$has_current),
        .has_adapt(params$has_adapt)
    );
    neuron_unit_1x64_base__lanes__0__front__gain gain(
        .clock(gain$clock),
        .ce(gain$ce),
        .a(gain$a),
        .b(gain$b),
        .n(gain$n),
        .mode(gain$mode),
        .q(gain$q)
    );
    neuron_unit_1x64_base__lanes__0__front__u_decay u_decay(
        .clock(u_decay$clock),
        .ce(u_decay$ce),
        .a(u_decay$a),
        .b(u_decay$b),
        .n(u_decay$n),
        .mode(u_decay$mode),
        .q(u_decay$q)
    );
    neuron_unit_1x64_base__lanes__0__front__th_decay th_decay(
        .clock(th_decay$clock),
        .ce(th_decay$ce),
        .a(th_decay$a),
        .b(th_decay$b),
        .n(th_decay$n),
        .mode(th_decay$mode),
        .q(th_decay$q)
    );
    neuron_unit_1x64_base__lanes__0__front__r_decay r_decay(
        .clock(r_decay$clock),
        .ce(r_decay$ce),
        .a(r_decay$a),
        .b(r_decay$b),
        .n(r_decay$n),
        .mode(r_decay$mode),
        .q(r_decay$q)
    );
    neuron_unit_1x64_base__lanes__0__front__fit_u fit_u(
        .clock(fit_u$clock),
        .ce(fit_u$ce),
        .z(fit_u$z),
        .w(fit_u$w),
        .ovf(fit_u$ovf),
        .q(fit_u$q)
    );
    neuron_unit_1x64_base__lanes__0__front__u_wide u_wide(
        .a(u_wide$a),
        .q(u_wide$q)
    );
    neuron_unit_1x64_base__lanes__0__front__x_eff x_eff(
        .d(x_eff$d),
        .q(x_eff$q),
        .clock(x_eff$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__u_dec u_dec(
        .d(u_dec$d),
        .q(u_dec$q),
        .clock(u_dec$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__th5 th5(
        .d(th5$d),
        .q(th5$q),
        .clock(th5$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__r5 r5(
        .d(r5$d),
        .q(r5$q),
        .clock(r5$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__u_pre u_pre(
        .d(u_pre$d),
        .q(u_pre$q),
        .clock(u_pre$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__x_eff6 x_eff6(
        .d(x_eff6$d),
        .q(x_eff6$q),
        .clock(x_eff6$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__th6 th6(
        .d(th6$d),
        .q(th6$q),
        .clock(th6$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__r6 r6(
        .d(r6$d),
        .q(r6$q),
        .clock(r6$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__thr6 thr6(
        .d(thr6$d),
        .q(thr6$q),
        .clock(thr6$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__x_eff7 x_eff7(
        .d(x_eff7$d),
        .q(x_eff7$q),
        .clock(x_eff7$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__th7 th7(
        .d(th7$d),
        .q(th7$q),
        .clock(th7$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__r7 r7(
        .d(r7$d),
        .q(r7$q),
        .clock(r7$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__thr7 thr7(
        .d(thr7$d),
        .q(thr7$q),
        .clock(thr7$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        x_eff$clock = clock;
        u_dec$clock = clock;
        th5$clock = clock;
        r5$clock = clock;
        u_pre$clock = clock;
        x_eff6$clock = clock;
        th6$clock = clock;
        r6$clock = clock;
        thr6$clock = clock;
        x_eff7$clock = clock;
        th7$clock = clock;
        r7$clock = clock;
        thr7$clock = clock;
        x_eff$d = x_eff$q;
        u_dec$d = u_dec$q;
        th5$d = th5$q;
        r5$d = r5$q;
        u_pre$d = u_pre$q;
        x_eff6$d = x_eff6$q;
        th6$d = th6$q;
        r6$d = r6$q;
        thr6$d = thr6$q;
        x_eff7$d = x_eff7$q;
        th7$d = th7$q;
        r7$d = r7$q;
        thr7$d = thr7$q;
        params$regs = regs;
        gain$clock = clock;
        u_decay$clock = clock;
        th_decay$clock = clock;
        r_decay$clock = clock;
        fit_u$clock = clock;
        gain$ce = ce;
        u_decay$ce = ce;
        th_decay$ce = ce;
        r_decay$ce = ce;
        fit_u$ce = ce;
        gain$a = x;
        gain$b = params$in_gain;
        gain$n = params$in_frac;
        gain$mode = params$in_round;
        u_decay$a = u;
        u_decay$b = 64'h1;
        u_decay$n = 64'h0;
        if (params$use_u) begin
            u_decay$b = ((params$beta_u) & 17'h1ffff);
            u_decay$n = params$dec_frac;
        end
        u_decay$mode = params$dec_round;
        th_decay$a = ((th) & 34'h3ffffffff) - params$th0;
        r_decay$a = ((r) & 34'h3ffffffff);
        th_decay$b = 64'h1;
        r_decay$b = 64'h1;
        th_decay$n = 64'h0;
        r_decay$n = 64'h0;
        if (params$adapt) begin
            th_decay$b = ((params$beta_th) & 17'h1ffff);
            r_decay$b = ((params$beta_r) & 17'h1ffff);
            th_decay$n = params$dec_frac;
            r_decay$n = params$dec_frac;
        end
        th_decay$mode = params$dec_round;
        r_decay$mode = params$dec_round;
        if (ce) begin
            x_eff$d = gain$q + params$in_bias;
            u_dec$d = u_decay$q;
            th5$d = ((th_decay$q + ((params$th0) & 52'hfffffffffffff)) & 33'h1ffffffff);
            r5$d = ((r_decay$q) & 33'h1ffffffff);
            u_pre$d = u_dec$q;
            if (params$use_u) begin
                u_pre$d = u_dec$q + x_eff$q;
            end
            thr6$d = params$vth;
            if (params$adapt) begin
                thr6$d = ((th5$q) & 35'h7ffffffff) + ((r5$q) & 35'h7ffffffff);
            end
            x_eff6$d = x_eff$q;
            th6$d = th5$q;
            r6$d = r5$q;
            x_eff7$d = x_eff6$q;
            th7$d = th6$q;
            r7$d = r6$q;
            thr7$d = thr6$q;
        end
        fit_u$z = u_pre$q;
        fit_u$w = params$w_u;
        fit_u$ovf = params$u_ovf;
        u_wide$a = fit_u$q;
        drive = x_eff7$q;
        if (params$use_u) begin
            drive = u_wide$q;
        end
        u_next = fit_u$q;
        if (~params$has_current) begin
            u_next = 64'h0;
        end
        thr = thr7$q;
        th_next = th7$q;
        r_next = r7$q;
        if (~params$has_adapt) begin
            th_next = 64'h0;
            r_next = 64'h0;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front


module neuron_unit_1x64_base__lanes__0__front__fit_u(clock,ce,z,w,ovf,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] z;
    input wire  [1:0] w;
    input wire  [1:0] ovf;
    output reg  [32:0] q;
    
    // Constant declarations
    localparam  sign_n = 52'h8000000000000;
    localparam  masks$0 = 52'hffff;
    localparam  masks$1 = 52'hffffff;
    localparam  masks$2 = 52'hffffffff;
    localparam  signs$0 = 52'h8000;
    localparam  signs$1 = 52'h800000;
    localparam  signs$2 = 52'h80000000;
    localparam  mins$0 = 33'h1ffff8000;
    localparam  mins$1 = 33'h1ff800000;
    localparam  mins$2 = 33'h180000000;
    localparam  maxs$0 = 33'h7fff;
    localparam  maxs$1 = 33'h7fffff;
    localparam  maxs$2 = 33'h7fffffff;
    localparam  wider_codes$0 = 2'b1;
    localparam  wider_codes$1 = 2'b10;
    localparam  wrap_lava = 2'b1;
    localparam  sat = 2'b10;
    localparam  sat_sym = 2'b11;
    localparam  one = 33'h1;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [32:0] out$d;
    wire  [32:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [51:0] mask;
    reg  [51:0] sign_w;
    reg  [32:0] min;
    reg  [32:0] max;
    reg  [51:0] wrapped;
    reg  [32:0] low;
    reg  [32:0] clipped;
    reg  [32:0] result;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__fit_u__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        out$clock = clock;
        out$d = out$q;
        q = out$q;
        mask = masks$0;
        sign_w = signs$0;
        min = mins$0;
        max = maxs$0;
        if (w == wider_codes$0) begin
            mask = masks$1;
            sign_w = signs$1;
            min = mins$1;
            max = maxs$1;
        end
        if (w == wider_codes$1) begin
            mask = masks$2;
            sign_w = signs$2;
            min = mins$2;
            max = maxs$2;
        end
        wrapped = ((z & mask) ^ sign_w) - sign_w;
        low = ((wrapped) & 33'h1ffffffff);
        clipped = low;
        if (wrapped != z) begin
            clipped = max;
            if (|(z & sign_n)) begin
                clipped = min;
            end
        end
        result = low;
        if ((ovf == wrap_lava) & (low == min)) begin
            result = one + ~min;
        end
        if (ovf == sat) begin
            result = clipped;
        end
        if (ovf == sat_sym) begin
            result = clipped;
            if (clipped == min) begin
                result = min + one;
            end
        end
        if (ce) begin
            out$d = result;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__fit_u


module neuron_unit_1x64_base__lanes__0__front__fit_u__out(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__fit_u__out


module neuron_unit_1x64_base__lanes__0__front__gain(clock,ce,a,b,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] a;
    input wire  [15:0] b;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  mul$clock;
    reg  mul$ce;
    reg  [32:0] mul$a;
    reg  [15:0] mul$b;
    wire  [51:0] mul$p;
    reg  round$clock;
    reg  round$ce;
    reg  [51:0] round$z;
    reg  [4:0] round$n;
    reg  [2:0] round$mode;
    wire  [51:0] round$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__gain__mul mul(
        .clock(mul$clock),
        .ce(mul$ce),
        .a(mul$a),
        .b(mul$b),
        .p(mul$p)
    );
    neuron_unit_1x64_base__lanes__0__front__gain__round round(
        .clock(round$clock),
        .ce(round$ce),
        .z(round$z),
        .n(round$n),
        .mode(round$mode),
        .q(round$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        mul$clock = clock;
        mul$ce = ce;
        mul$a = a;
        mul$b = b;
        round$clock = clock;
        round$ce = ce;
        round$z = mul$p;
        round$n = n;
        round$mode = mode;
        q = round$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__gain


module neuron_unit_1x64_base__lanes__0__front__gain__mul(clock,ce,a,b,p);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] a;
    input wire  [15:0] b;
    output reg  [51:0] p;
    
    // Update code (custom)
    reg signed [32:0] a_reg;
    reg signed [15:0] b_reg;
    reg signed [51:0] p_reg;
    initial begin
        a_reg = 33'd0;
        b_reg = 16'd0;
        p_reg = 52'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            a_reg <= $signed(a);
            b_reg <= $signed(b);
            p_reg <= $signed({{(52-33){a_reg[32]}}, a_reg}) * $signed({{(52-16){b_reg[15]}}, b_reg});
        end
    end
    always @(*) begin
        p = p_reg;
    end
endmodule // neuron_unit_1x64_base__lanes__0__front__gain__mul


module neuron_unit_1x64_base__lanes__0__front__gain__round(clock,ce,z,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] z;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    // Constant declarations
    localparam  one = 52'h1;
    localparam  sign = 52'h8000000000000;
    localparam  rtz = 3'b1;
    localparam  rhu = 3'b10;
    localparam  rhaz = 3'b11;
    localparam  rne = 3'b100;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [51:0] floor$d;
    wire  [51:0] floor$q;
    reg  floor$clock;
    reg  inc$d;
    wire  inc$q;
    reg  inc$clock;
    reg  [51:0] out$d;
    wire  [51:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [51:0] bit_n;
    reg  [51:0] half;
    reg  guard;
    reg  sticky;
    reg  odd;
    reg  neg;
    reg  up;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__gain__round__floor floor(
        .d(floor$d),
        .q(floor$q),
        .clock(floor$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__gain__round__inc inc(
        .d(inc$d),
        .q(inc$q),
        .clock(inc$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__gain__round__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        floor$clock = clock;
        inc$clock = clock;
        out$clock = clock;
        floor$d = floor$q;
        inc$d = inc$q;
        out$d = out$q;
        q = out$q;
        bit_n = one << n;
        half = bit_n >> 32'h1;
        guard = |(z & half);
        sticky = |(z & (half - one) & (bit_n - one));
        odd = |(z & bit_n);
        neg = |(z & sign);
        up = 1'b0;
        if (mode == rtz) begin
            up = neg & (guard | sticky);
        end
        if (mode == rhu) begin
            up = guard;
        end
        if (mode == rhaz) begin
            up = guard & (sticky | ~neg);
        end
        if (mode == rne) begin
            up = guard & (sticky | odd);
        end
        if (ce) begin
            floor$d = ((z ^ sign) >> n) - (sign >> n);
            inc$d = up;
            out$d = floor$q + inc$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__gain__round


module neuron_unit_1x64_base__lanes__0__front__gain__round__floor(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__gain__round__floor


module neuron_unit_1x64_base__lanes__0__front__gain__round__inc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__gain__round__inc


module neuron_unit_1x64_base__lanes__0__front__gain__round__out(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__gain__round__out


module neuron_unit_1x64_base__lanes__0__front__params(regs,w_v,w_u,v_ovf,u_ovf,in_gain,in_frac,in_round,in_bias,use_u,dec_frac,beta_u,beta_v,dec_round,bias,fire,cmp,vth,vth_lo,d,q_shift,q_round,g_shift,g_abs,reset,v_reset,adapt,th0,th_step,beta_th,beta_r,gated,g_frac,g_form,g_round,has_current,has_adapt);
    
    // Module arguments
    input wire  [362:0] regs;
    output reg  [1:0] w_v;
    output reg  [1:0] w_u;
    output reg  [1:0] v_ovf;
    output reg  [1:0] u_ovf;
    output reg  [15:0] in_gain;
    output reg  [4:0] in_frac;
    output reg  [2:0] in_round;
    output reg  [51:0] in_bias;
    output reg  use_u;
    output reg  [4:0] dec_frac;
    output reg  [15:0] beta_u;
    output reg  [15:0] beta_v;
    output reg  [2:0] dec_round;
    output reg  [51:0] bias;
    output reg  [2:0] fire;
    output reg  cmp;
    output reg  [34:0] vth;
    output reg  [34:0] vth_lo;
    output reg  [32:0] d;
    output reg  [4:0] q_shift;
    output reg  [2:0] q_round;
    output reg  [4:0] g_shift;
    output reg  g_abs;
    output reg  [1:0] reset;
    output reg  [32:0] v_reset;
    output reg  adapt;
    output reg  [33:0] th0;
    output reg  [32:0] th_step;
    output reg  [15:0] beta_th;
    output reg  [15:0] beta_r;
    output reg  gated;
    output reg  [4:0] g_frac;
    output reg  [1:0] g_form;
    output reg  [2:0] g_round;
    output reg  has_current;
    output reg  has_adapt;
    
    // Update code (custom)
    wire unused_absent_fields = &{1'b0, regs[64], regs[257], regs[359:358]};
    always @(*) begin
        w_v = regs[1:0];
        w_u = regs[3:2];
        v_ovf = regs[5:4];
        u_ovf = regs[7:6];
        in_gain = regs[23:8];
        in_frac = regs[28:24];
        in_round = regs[31:29];
        in_bias = {{20{regs[63]}}, regs[63:32]};
        use_u = 1'd0;
        dec_frac = {1'd0, regs[68:65]};
        beta_u = regs[84:69];
        beta_v = regs[100:85];
        dec_round = regs[103:101];
        bias = {{20{regs[135]}}, regs[135:104]};
        fire = regs[138:136];
        cmp = regs[139];
        vth = {{3{regs[171]}}, regs[171:140]};
        vth_lo = {{3{regs[203]}}, regs[203:172]};
        d = {29'd0, regs[207:204]};
        q_shift = regs[212:208];
        q_round = regs[215:213];
        g_shift = regs[220:216];
        g_abs = regs[221];
        reset = regs[223:222];
        v_reset = regs[256:224];
        adapt = 1'd0;
        th0 = {3'd0, regs[288:258]};
        th_step = {2'd0, regs[319:289]};
        beta_th = regs[335:320];
        beta_r = regs[351:336];
        gated = regs[352];
        g_frac = regs[357:353];
        g_form = 2'd0;
        g_round = regs[362:360];
        has_current = 1'b0;
        has_adapt = 1'b0;
    end
endmodule // neuron_unit_1x64_base__lanes__0__front__params


module neuron_unit_1x64_base__lanes__0__front__r5(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__r5


module neuron_unit_1x64_base__lanes__0__front__r6(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__r6


module neuron_unit_1x64_base__lanes__0__front__r7(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__r7


module neuron_unit_1x64_base__lanes__0__front__r_decay(clock,ce,a,b,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [33:0] a;
    input wire  [16:0] b;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  mul$clock;
    reg  mul$ce;
    reg  [33:0] mul$a;
    reg  [16:0] mul$b;
    wire  [51:0] mul$p;
    reg  round$clock;
    reg  round$ce;
    reg  [51:0] round$z;
    reg  [4:0] round$n;
    reg  [2:0] round$mode;
    wire  [51:0] round$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__r_decay__mul mul(
        .clock(mul$clock),
        .ce(mul$ce),
        .a(mul$a),
        .b(mul$b),
        .p(mul$p)
    );
    neuron_unit_1x64_base__lanes__0__front__r_decay__round round(
        .clock(round$clock),
        .ce(round$ce),
        .z(round$z),
        .n(round$n),
        .mode(round$mode),
        .q(round$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        mul$clock = clock;
        mul$ce = ce;
        mul$a = a;
        mul$b = b;
        round$clock = clock;
        round$ce = ce;
        round$z = mul$p;
        round$n = n;
        round$mode = mode;
        q = round$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__r_decay


module neuron_unit_1x64_base__lanes__0__front__r_decay__mul(clock,ce,a,b,p);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [33:0] a;
    input wire  [16:0] b;
    output reg  [51:0] p;
    
    // Update code (custom)
    reg signed [33:0] a_reg;
    reg signed [16:0] b_reg;
    reg signed [51:0] p_reg;
    initial begin
        a_reg = 34'd0;
        b_reg = 17'd0;
        p_reg = 52'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            a_reg <= $signed(a);
            b_reg <= $signed(b);
            p_reg <= $signed({{(52-34){a_reg[33]}}, a_reg}) * $signed({{(52-17){b_reg[16]}}, b_reg});
        end
    end
    always @(*) begin
        p = p_reg;
    end
endmodule // neuron_unit_1x64_base__lanes__0__front__r_decay__mul


module neuron_unit_1x64_base__lanes__0__front__r_decay__round(clock,ce,z,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] z;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    // Constant declarations
    localparam  one = 52'h1;
    localparam  sign = 52'h8000000000000;
    localparam  rtz = 3'b1;
    localparam  rhu = 3'b10;
    localparam  rhaz = 3'b11;
    localparam  rne = 3'b100;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [51:0] floor$d;
    wire  [51:0] floor$q;
    reg  floor$clock;
    reg  inc$d;
    wire  inc$q;
    reg  inc$clock;
    reg  [51:0] out$d;
    wire  [51:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [51:0] bit_n;
    reg  [51:0] half;
    reg  guard;
    reg  sticky;
    reg  odd;
    reg  neg;
    reg  up;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__r_decay__round__floor floor(
        .d(floor$d),
        .q(floor$q),
        .clock(floor$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__r_decay__round__inc inc(
        .d(inc$d),
        .q(inc$q),
        .clock(inc$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__r_decay__round__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        floor$clock = clock;
        inc$clock = clock;
        out$clock = clock;
        floor$d = floor$q;
        inc$d = inc$q;
        out$d = out$q;
        q = out$q;
        bit_n = one << n;
        half = bit_n >> 32'h1;
        guard = |(z & half);
        sticky = |(z & (half - one) & (bit_n - one));
        odd = |(z & bit_n);
        neg = |(z & sign);
        up = 1'b0;
        if (mode == rtz) begin
            up = neg & (guard | sticky);
        end
        if (mode == rhu) begin
            up = guard;
        end
        if (mode == rhaz) begin
            up = guard & (sticky | ~neg);
        end
        if (mode == rne) begin
            up = guard & (sticky | odd);
        end
        if (ce) begin
            floor$d = ((z ^ sign) >> n) - (sign >> n);
            inc$d = up;
            out$d = floor$q + inc$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__r_decay__round


module neuron_unit_1x64_base__lanes__0__front__r_decay__round__floor(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__r_decay__round__floor


module neuron_unit_1x64_base__lanes__0__front__r_decay__round__inc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__r_decay__round__inc


module neuron_unit_1x64_base__lanes__0__front__r_decay__round__out(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__r_decay__round__out


module neuron_unit_1x64_base__lanes__0__front__th5(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__th5


module neuron_unit_1x64_base__lanes__0__front__th6(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__th6


module neuron_unit_1x64_base__lanes__0__front__th7(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__th7


module neuron_unit_1x64_base__lanes__0__front__th_decay(clock,ce,a,b,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [33:0] a;
    input wire  [16:0] b;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  mul$clock;
    reg  mul$ce;
    reg  [33:0] mul$a;
    reg  [16:0] mul$b;
    wire  [51:0] mul$p;
    reg  round$clock;
    reg  round$ce;
    reg  [51:0] round$z;
    reg  [4:0] round$n;
    reg  [2:0] round$mode;
    wire  [51:0] round$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__th_decay__mul mul(
        .clock(mul$clock),
        .ce(mul$ce),
        .a(mul$a),
        .b(mul$b),
        .p(mul$p)
    );
    neuron_unit_1x64_base__lanes__0__front__th_decay__round round(
        .clock(round$clock),
        .ce(round$ce),
        .z(round$z),
        .n(round$n),
        .mode(round$mode),
        .q(round$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        mul$clock = clock;
        mul$ce = ce;
        mul$a = a;
        mul$b = b;
        round$clock = clock;
        round$ce = ce;
        round$z = mul$p;
        round$n = n;
        round$mode = mode;
        q = round$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__th_decay


module neuron_unit_1x64_base__lanes__0__front__th_decay__mul(clock,ce,a,b,p);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [33:0] a;
    input wire  [16:0] b;
    output reg  [51:0] p;
    
    // Update code (custom)
    reg signed [33:0] a_reg;
    reg signed [16:0] b_reg;
    reg signed [51:0] p_reg;
    initial begin
        a_reg = 34'd0;
        b_reg = 17'd0;
        p_reg = 52'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            a_reg <= $signed(a);
            b_reg <= $signed(b);
            p_reg <= $signed({{(52-34){a_reg[33]}}, a_reg}) * $signed({{(52-17){b_reg[16]}}, b_reg});
        end
    end
    always @(*) begin
        p = p_reg;
    end
endmodule // neuron_unit_1x64_base__lanes__0__front__th_decay__mul


module neuron_unit_1x64_base__lanes__0__front__th_decay__round(clock,ce,z,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] z;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    // Constant declarations
    localparam  one = 52'h1;
    localparam  sign = 52'h8000000000000;
    localparam  rtz = 3'b1;
    localparam  rhu = 3'b10;
    localparam  rhaz = 3'b11;
    localparam  rne = 3'b100;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [51:0] floor$d;
    wire  [51:0] floor$q;
    reg  floor$clock;
    reg  inc$d;
    wire  inc$q;
    reg  inc$clock;
    reg  [51:0] out$d;
    wire  [51:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [51:0] bit_n;
    reg  [51:0] half;
    reg  guard;
    reg  sticky;
    reg  odd;
    reg  neg;
    reg  up;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__th_decay__round__floor floor(
        .d(floor$d),
        .q(floor$q),
        .clock(floor$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__th_decay__round__inc inc(
        .d(inc$d),
        .q(inc$q),
        .clock(inc$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__th_decay__round__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        floor$clock = clock;
        inc$clock = clock;
        out$clock = clock;
        floor$d = floor$q;
        inc$d = inc$q;
        out$d = out$q;
        q = out$q;
        bit_n = one << n;
        half = bit_n >> 32'h1;
        guard = |(z & half);
        sticky = |(z & (half - one) & (bit_n - one));
        odd = |(z & bit_n);
        neg = |(z & sign);
        up = 1'b0;
        if (mode == rtz) begin
            up = neg & (guard | sticky);
        end
        if (mode == rhu) begin
            up = guard;
        end
        if (mode == rhaz) begin
            up = guard & (sticky | ~neg);
        end
        if (mode == rne) begin
            up = guard & (sticky | odd);
        end
        if (ce) begin
            floor$d = ((z ^ sign) >> n) - (sign >> n);
            inc$d = up;
            out$d = floor$q + inc$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__th_decay__round


module neuron_unit_1x64_base__lanes__0__front__th_decay__round__floor(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__th_decay__round__floor


module neuron_unit_1x64_base__lanes__0__front__th_decay__round__inc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__th_decay__round__inc


module neuron_unit_1x64_base__lanes__0__front__th_decay__round__out(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__th_decay__round__out


module neuron_unit_1x64_base__lanes__0__front__thr6(d,q,clock);
    
    // Module arguments
    input wire  [34:0] d;
    output reg  [34:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 35'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__thr6


module neuron_unit_1x64_base__lanes__0__front__thr7(d,q,clock);
    
    // Module arguments
    input wire  [34:0] d;
    output reg  [34:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 35'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__thr7


module neuron_unit_1x64_base__lanes__0__front__u_dec(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__u_dec


module neuron_unit_1x64_base__lanes__0__front__u_decay(clock,ce,a,b,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] a;
    input wire  [16:0] b;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  mul$clock;
    reg  mul$ce;
    reg  [32:0] mul$a;
    reg  [16:0] mul$b;
    wire  [51:0] mul$p;
    reg  round$clock;
    reg  round$ce;
    reg  [51:0] round$z;
    reg  [4:0] round$n;
    reg  [2:0] round$mode;
    wire  [51:0] round$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__u_decay__mul mul(
        .clock(mul$clock),
        .ce(mul$ce),
        .a(mul$a),
        .b(mul$b),
        .p(mul$p)
    );
    neuron_unit_1x64_base__lanes__0__front__u_decay__round round(
        .clock(round$clock),
        .ce(round$ce),
        .z(round$z),
        .n(round$n),
        .mode(round$mode),
        .q(round$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        mul$clock = clock;
        mul$ce = ce;
        mul$a = a;
        mul$b = b;
        round$clock = clock;
        round$ce = ce;
        round$z = mul$p;
        round$n = n;
        round$mode = mode;
        q = round$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__u_decay


module neuron_unit_1x64_base__lanes__0__front__u_decay__mul(clock,ce,a,b,p);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] a;
    input wire  [16:0] b;
    output reg  [51:0] p;
    
    // Update code (custom)
    reg signed [32:0] a_reg;
    reg signed [16:0] b_reg;
    reg signed [51:0] p_reg;
    initial begin
        a_reg = 33'd0;
        b_reg = 17'd0;
        p_reg = 52'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            a_reg <= $signed(a);
            b_reg <= $signed(b);
            p_reg <= $signed({{(52-33){a_reg[32]}}, a_reg}) * $signed({{(52-17){b_reg[16]}}, b_reg});
        end
    end
    always @(*) begin
        p = p_reg;
    end
endmodule // neuron_unit_1x64_base__lanes__0__front__u_decay__mul


module neuron_unit_1x64_base__lanes__0__front__u_decay__round(clock,ce,z,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] z;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [51:0] q;
    
    // Constant declarations
    localparam  one = 52'h1;
    localparam  sign = 52'h8000000000000;
    localparam  rtz = 3'b1;
    localparam  rhu = 3'b10;
    localparam  rhaz = 3'b11;
    localparam  rne = 3'b100;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [51:0] floor$d;
    wire  [51:0] floor$q;
    reg  floor$clock;
    reg  inc$d;
    wire  inc$q;
    reg  inc$clock;
    reg  [51:0] out$d;
    wire  [51:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [51:0] bit_n;
    reg  [51:0] half;
    reg  guard;
    reg  sticky;
    reg  odd;
    reg  neg;
    reg  up;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__front__u_decay__round__floor floor(
        .d(floor$d),
        .q(floor$q),
        .clock(floor$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__u_decay__round__inc inc(
        .d(inc$d),
        .q(inc$q),
        .clock(inc$clock)
    );
    neuron_unit_1x64_base__lanes__0__front__u_decay__round__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        floor$clock = clock;
        inc$clock = clock;
        out$clock = clock;
        floor$d = floor$q;
        inc$d = inc$q;
        out$d = out$q;
        q = out$q;
        bit_n = one << n;
        half = bit_n >> 32'h1;
        guard = |(z & half);
        sticky = |(z & (half - one) & (bit_n - one));
        odd = |(z & bit_n);
        neg = |(z & sign);
        up = 1'b0;
        if (mode == rtz) begin
            up = neg & (guard | sticky);
        end
        if (mode == rhu) begin
            up = guard;
        end
        if (mode == rhaz) begin
            up = guard & (sticky | ~neg);
        end
        if (mode == rne) begin
            up = guard & (sticky | odd);
        end
        if (ce) begin
            floor$d = ((z ^ sign) >> n) - (sign >> n);
            inc$d = up;
            out$d = floor$q + inc$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__u_decay__round


module neuron_unit_1x64_base__lanes__0__front__u_decay__round__floor(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__u_decay__round__floor


module neuron_unit_1x64_base__lanes__0__front__u_decay__round__inc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__u_decay__round__inc


module neuron_unit_1x64_base__lanes__0__front__u_decay__round__out(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__u_decay__round__out


module neuron_unit_1x64_base__lanes__0__front__u_pre(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__u_pre


module neuron_unit_1x64_base__lanes__0__front__u_wide(a,q);
    
    // Module arguments
    input wire  [32:0] a;
    output reg  [51:0] q;
    
    // Constant declarations
    localparam  sign_m = 33'h100000000;
    localparam  sign_n = 52'h100000000;
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        q = ((a ^ sign_m) & 52'hfffffffffffff) - sign_n;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__front__u_wide


module neuron_unit_1x64_base__lanes__0__front__x_eff(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__x_eff


module neuron_unit_1x64_base__lanes__0__front__x_eff6(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__x_eff6


module neuron_unit_1x64_base__lanes__0__front__x_eff7(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__front__x_eff7


module neuron_unit_1x64_base__lanes__0__membrane(clock,ce,regs,v,f,drive,v_next);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [362:0] regs;
    input wire  [32:0] v;
    input wire  [30:0] f;
    input wire  [51:0] drive;
    output reg  [32:0] v_next;
    
    // Constant declarations
    localparam  early = 1'b1;
    localparam  g_one = 32'h1;
    localparam  form_lerp = 2'b1;
    localparam  form_dyn = 2'b0;
    localparam  form_two = 2'b10;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [362:0] params$regs;
    wire  [1:0] params$w_v;
    wire  [1:0] params$w_u;
    wire  [1:0] params$v_ovf;
    wire  [1:0] params$u_ovf;
    wire  [15:0] params$in_gain;
    wire  [4:0] params$in_frac;
    wire  [2:0] params$in_round;
    wire  [51:0] params$in_bias;
    wire  params$use_u;
    wire  [4:0] params$dec_frac;
    wire  [15:0] params$beta_u;
    wire  [15:0] params$beta_v;
    wire  [2:0] params$dec_round;
    wire  [51:0] params$bias;
    wire  [2:0] params$fire;
    wire  params$cmp;
    wire  [34:0] params$vth;
    wire  [34:0] params$vth_lo;
    wire  [32:0] params$d;
    wire  [4:0] params$q_shift;
    wire  [2:0] params$q_round;
    wire  [4:0] params$g_shift;
    wire  params$g_abs;
    wire  [1:0] params$reset;
    wire  [32:0] params$v_reset;
    wire  params$adapt;
    wire  [33:0] params$th0;
    wire  [32:0] params$th_step;
    wire  [15:0] params$beta_th;
    wire  [15:0] params$beta_r;
    wire  params$gated;
    wire  [4:0] params$g_frac;
    wire  [1:0] params$g_form;
    wire  [2:0] params$g_round;
    wire  params$has_current;
    wire  params$has_adapt;
    reg  v_mul$clock;
    reg  v_mul$ce;
    reg  [32:0] v_mul$a;
    reg  [31:0] v_mul$b;
    reg  [4:0] v_mul$n;
    reg  [2:0] v_mul$mode;
    wire  [64:0] v_mul$q;
    reg  drive_mul$clock;
    reg  drive_mul$ce;
    reg  [51:0] drive_mul$a;
    reg  [31:0] drive_mul$b;
    reg  [4:0] drive_mul$n;
    reg  [2:0] drive_mul$mode;
    wire  [83:0] drive_mul$q;
    reg  v_late$clock;
    reg  v_late$ce;
    reg  [32:0] v_late$d;
    wire  [32:0] v_late$q;
    reg  f_late$clock;
    reg  f_late$ce;
    reg  [30:0] f_late$d;
    wire  [30:0] f_late$q;
    reg  v_product$clock;
    reg  v_product$ce;
    reg  [51:0] v_product$d;
    wire  [51:0] v_product$q;
    reg  drive_late$clock;
    reg  drive_late$ce;
    reg  [51:0] drive_late$d;
    wire  [51:0] drive_late$q;
    reg  v_product_early$clock;
    reg  v_product_early$ce;
    reg  [51:0] v_product_early$d;
    wire  [51:0] v_product_early$q;
    reg  v_next_late$clock;
    reg  v_next_late$ce;
    reg  [32:0] v_next_late$d;
    wire  [32:0] v_next_late$q;
    reg  [32:0] v_wide$a;
    wire  [51:0] v_wide$q;
    reg  [51:0] v_pre$d;
    wire  [51:0] v_pre$q;
    reg  v_pre$clock;
    reg  fit_v$clock;
    reg  fit_v$ce;
    reg  [51:0] fit_v$z;
    reg  [1:0] fit_v$w;
    reg  [1:0] fit_v$ovf;
    wire  [32:0] fit_v$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [31:0] f_wide;
    reg  lerp;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__membrane__params params(
        .regs(params$regs),
        .w_v(params$w_v),
        .w_u(params$w_u),
        .v_ovf(params$v_ovf),
        .u_ovf(params$u_ovf),
        .in_gain(params$in_gain),
        .in_frac(params$in_frac),
        .in_round(params$in_round),
        .in_bias(params$in_bias),
        .use_u(params$use_u),
        .dec_frac(params$dec_frac),
        .beta_u(params$beta_u),
        .beta_v(params$beta_v),
        .dec_round(params$dec_round),
        .bias(params$bias),
        .fire(params$fire),
        .cmp(params$cmp),
        .vth(params$vth),
        .vth_lo(params$vth_lo),
        .d(params$d),
        .q_shift(params$q_shift),
        .q_round(params$q_round),
        .g_shift(params$g_shift),
        .g_abs(params$g_abs),
        .reset(params$reset),
        .v_reset(params$v_reset),
        .adapt(params$adapt),
        .th0(params$th0),
        .th_step(params$th_step),
        .beta_th(params$beta_th),
        .beta_r(params$beta_r),
        .gated(params$gated),
        .g_frac(params$g_frac),
        .g_form(params$g_form),
        .g_round(params$g_round),
        .has_current(params$has_current),
        .has_adapt(params$has_adapt)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_mul v_mul(
        .clock(v_mul$clock),
        .ce(v_mul$ce),
        .a(v_mul$a),
        .b(v_mul$b),
        .n(v_mul$n),
        .mode(v_mul$mode),
        .q(v_mul$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__drive_mul drive_mul(
        .clock(drive_mul$clock),
        .ce(drive_mul$ce),
        .a(drive_mul$a),
        .b(drive_mul$b),
        .n(drive_mul$n),
        .mode(drive_mul$mode),
        .q(drive_mul$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_late v_late(
        .clock(v_late$clock),
        .ce(v_late$ce),
        .d(v_late$d),
        .q(v_late$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__f_late f_late(
        .clock(f_late$clock),
        .ce(f_late$ce),
        .d(f_late$d),
        .q(f_late$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_product v_product(
        .clock(v_product$clock),
        .ce(v_product$ce),
        .d(v_product$d),
        .q(v_product$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__drive_late drive_late(
        .clock(drive_late$clock),
        .ce(drive_late$ce),
        .d(drive_late$d),
        .q(drive_late$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_product_early v_product_early(
        .clock(v_product_early$clock),
        .ce(v_product_early$ce),
        .d(v_product_early$d),
        .q(v_product_early$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_next_late v_next_late(
        .clock(v_next_late$clock),
        .ce(v_next_late$ce),
        .d(v_next_late$d),
        .q(v_next_late$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_wide v_wide(
        .a(v_wide$a),
        .q(v_wide$q)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_pre v_pre(
        .d(v_pre$d),
        .q(v_pre$q),
        .clock(v_pre$clock)
    );
    neuron_unit_1x64_base__lanes__0__membrane__fit_v fit_v(
        .clock(fit_v$clock),
        .ce(fit_v$ce),
        .z(fit_v$z),
        .w(fit_v$w),
        .ovf(fit_v$ovf),
        .q(fit_v$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        v_pre$clock = clock;
        v_pre$d = v_pre$q;
        v_mul$clock = clock;
        drive_mul$clock = clock;
        v_late$clock = clock;
        f_late$clock = clock;
        v_product$clock = clock;
        drive_late$clock = clock;
        v_product_early$clock = clock;
        v_next_late$clock = clock;
        fit_v$clock = clock;
        params$regs = regs;
        v_mul$ce = ce;
        drive_mul$ce = ce;
        v_late$ce = ce;
        f_late$ce = ce;
        v_product$ce = ce;
        drive_late$ce = ce;
        v_product_early$ce = ce;
        v_next_late$ce = ce;
        fit_v$ce = ce;
        v_mul$a = v;
        v_mul$b = ((params$beta_v) & 32'hffffffff);
        v_mul$n = params$dec_frac;
        v_mul$mode = params$dec_round;
        if (params$gated) begin
            v_mul$b = ((f) & 32'hffffffff);
            v_mul$n = params$g_frac;
            v_mul$mode = params$g_round;
        end
        v_late$d = v;
        f_late$d = f;
        v_product$d = ((v_mul$q) & 52'hfffffffffffff);
        v_product_early$d = ((v_mul$q) & 52'hfffffffffffff);
        v_wide$a = v_late$q;
        f_wide = ((f_late$q) & 32'hffffffff);
        lerp = params$g_form == form_lerp;
        drive_mul$a = drive;
        drive_mul$b = (g_one << params$g_frac) - f_wide;
        if (lerp) begin
            drive_mul$a = v_wide$q - drive;
            drive_mul$b = f_wide;
        end
        drive_mul$n = params$g_frac;
        drive_mul$mode = params$g_round;
        drive_late$d = drive;
        if (ce) begin
            v_pre$d = v_product$q + drive_late$q + params$bias;
            if (params$gated) begin
                if (params$g_form == form_dyn) begin
                    v_pre$d = v_product$q + drive_late$q;
                end
                if (lerp) begin
                    v_pre$d = drive_late$q + ((drive_mul$q) & 52'hfffffffffffff);
                end
                if (params$g_form == form_two) begin
                    v_pre$d = v_product$q + ((drive_mul$q) & 52'hfffffffffffff);
                end
            end
            if (early) begin
                v_pre$d = v_product_early$q + drive + params$bias;
                if (params$gated) begin
                    v_pre$d = v_product_early$q + drive;
                end
            end
        end
        fit_v$z = v_pre$q;
        fit_v$w = params$w_v;
        fit_v$ovf = params$v_ovf;
        v_next_late$d = fit_v$q;
        v_next = fit_v$q;
        if (early) begin
            v_next = v_next_late$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__membrane


module neuron_unit_1x64_base__lanes__0__membrane__drive_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] d;
    output reg  [51:0] q;
    
    // Update code (custom)
    (* ram_style = "block", no_rw_check *) reg [51:0] mem [0:3];
    reg [1:0] wp;
    reg [1:0] rp;
    reg [51:0] rd;
    integer i;
    initial begin
        wp = 2'd0;
        rp = 2'd1;
        for (i = 0; i < 4; i = i + 1) mem[i] = 52'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            mem[wp] <= d;
            rd <= mem[rp];
            wp <= (wp == 2'd3) ? 2'd0 : wp + 2'd1;
            rp <= (rp == 2'd3) ? 2'd0 : rp + 2'd1;
        end
    end
    always @(*) q = rd;
endmodule // neuron_unit_1x64_base__lanes__0__membrane__drive_late


module neuron_unit_1x64_base__lanes__0__membrane__drive_mul(clock,ce,a,b,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] a;
    input wire  [31:0] b;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [83:0] q;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  mul$clock;
    reg  mul$ce;
    reg  [51:0] mul$a;
    reg  [31:0] mul$b;
    wire  [83:0] mul$p;
    reg  round$clock;
    reg  round$ce;
    reg  [83:0] round$z;
    reg  [4:0] round$n;
    reg  [2:0] round$mode;
    wire  [83:0] round$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__membrane__drive_mul__mul mul(
        .clock(mul$clock),
        .ce(mul$ce),
        .a(mul$a),
        .b(mul$b),
        .p(mul$p)
    );
    neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round round(
        .clock(round$clock),
        .ce(round$ce),
        .z(round$z),
        .n(round$n),
        .mode(round$mode),
        .q(round$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        mul$clock = clock;
        mul$ce = ce;
        mul$a = a;
        mul$b = b;
        round$clock = clock;
        round$ce = ce;
        round$z = mul$p;
        round$n = n;
        round$mode = mode;
        q = round$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__membrane__drive_mul


module neuron_unit_1x64_base__lanes__0__membrane__drive_mul__mul(clock,ce,a,b,p);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] a;
    input wire  [31:0] b;
    output reg  [83:0] p;
    
    // Update code (custom)
    reg signed [51:0] a_reg;
    reg signed [31:0] b_reg;
    reg signed [83:0] p_reg;
    initial begin
        a_reg = 52'd0;
        b_reg = 32'd0;
        p_reg = 84'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            a_reg <= $signed(a);
            b_reg <= $signed(b);
            p_reg <= $signed({{(84-52){a_reg[51]}}, a_reg}) * $signed({{(84-32){b_reg[31]}}, b_reg});
        end
    end
    always @(*) begin
        p = p_reg;
    end
endmodule // neuron_unit_1x64_base__lanes__0__membrane__drive_mul__mul


module neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round(clock,ce,z,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [83:0] z;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [83:0] q;
    
    // Constant declarations
    localparam  one = 84'h1;
    localparam  sign = 84'h800000000000000000000;
    localparam  rtz = 3'b1;
    localparam  rhu = 3'b10;
    localparam  rhaz = 3'b11;
    localparam  rne = 3'b100;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [83:0] floor$d;
    wire  [83:0] floor$q;
    reg  floor$clock;
    reg  inc$d;
    wire  inc$q;
    reg  inc$clock;
    reg  [83:0] out$d;
    wire  [83:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [83:0] bit_n;
    reg  [83:0] half;
    reg  guard;
    reg  sticky;
    reg  odd;
    reg  neg;
    reg  up;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__floor floor(
        .d(floor$d),
        .q(floor$q),
        .clock(floor$clock)
    );
    neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__inc inc(
        .d(inc$d),
        .q(inc$q),
        .clock(inc$clock)
    );
    neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        floor$clock = clock;
        inc$clock = clock;
        out$clock = clock;
        floor$d = floor$q;
        inc$d = inc$q;
        out$d = out$q;
        q = out$q;
        bit_n = one << n;
        half = bit_n >> 32'h1;
        guard = |(z & half);
        sticky = |(z & (half - one) & (bit_n - one));
        odd = |(z & bit_n);
        neg = |(z & sign);
        up = 1'b0;
        if (mode == rtz) begin
            up = neg & (guard | sticky);
        end
        if (mode == rhu) begin
            up = guard;
        end
        if (mode == rhaz) begin
            up = guard & (sticky | ~neg);
        end
        if (mode == rne) begin
            up = guard & (sticky | odd);
        end
        if (ce) begin
            floor$d = ((z ^ sign) >> n) - (sign >> n);
            inc$d = up;
            out$d = floor$q + inc$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round


module neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__floor(d,q,clock);
    
    // Module arguments
    input wire  [83:0] d;
    output reg  [83:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 84'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__floor


module neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__inc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__inc


module neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__out(d,q,clock);
    
    // Module arguments
    input wire  [83:0] d;
    output reg  [83:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 84'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__drive_mul__round__out


module neuron_unit_1x64_base__lanes__0__membrane__f_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [30:0] d;
    output reg  [30:0] q;
    
    // Update code (custom)
    reg [30:0] line0;
    initial line0 = 31'd0;
    reg [30:0] line1;
    initial line1 = 31'd0;
    reg [30:0] line2;
    initial line2 = 31'd0;
    reg [30:0] line3;
    initial line3 = 31'd0;
    reg [30:0] line4;
    initial line4 = 31'd0;
    reg [30:0] line5;
    initial line5 = 31'd0;
    reg [30:0] line6;
    initial line6 = 31'd0;
    always @(posedge clock) begin
        if (ce) begin
            line0 <= d;
            line1 <= line0;
            line2 <= line1;
            line3 <= line2;
            line4 <= line3;
            line5 <= line4;
            line6 <= line5;
        end
    end
    always @(*) q = line6;
endmodule // neuron_unit_1x64_base__lanes__0__membrane__f_late


module neuron_unit_1x64_base__lanes__0__membrane__fit_v(clock,ce,z,w,ovf,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] z;
    input wire  [1:0] w;
    input wire  [1:0] ovf;
    output reg  [32:0] q;
    
    // Constant declarations
    localparam  sign_n = 52'h8000000000000;
    localparam  masks$0 = 52'hffff;
    localparam  masks$1 = 52'hffffff;
    localparam  masks$2 = 52'hffffffff;
    localparam  signs$0 = 52'h8000;
    localparam  signs$1 = 52'h800000;
    localparam  signs$2 = 52'h80000000;
    localparam  mins$0 = 33'h1ffff8000;
    localparam  mins$1 = 33'h1ff800000;
    localparam  mins$2 = 33'h180000000;
    localparam  maxs$0 = 33'h7fff;
    localparam  maxs$1 = 33'h7fffff;
    localparam  maxs$2 = 33'h7fffffff;
    localparam  wider_codes$0 = 2'b1;
    localparam  wider_codes$1 = 2'b10;
    localparam  wrap_lava = 2'b1;
    localparam  sat = 2'b10;
    localparam  sat_sym = 2'b11;
    localparam  one = 33'h1;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [32:0] out$d;
    wire  [32:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [51:0] mask;
    reg  [51:0] sign_w;
    reg  [32:0] min;
    reg  [32:0] max;
    reg  [51:0] wrapped;
    reg  [32:0] low;
    reg  [32:0] clipped;
    reg  [32:0] result;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__membrane__fit_v__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        out$clock = clock;
        out$d = out$q;
        q = out$q;
        mask = masks$0;
        sign_w = signs$0;
        min = mins$0;
        max = maxs$0;
        if (w == wider_codes$0) begin
            mask = masks$1;
            sign_w = signs$1;
            min = mins$1;
            max = maxs$1;
        end
        if (w == wider_codes$1) begin
            mask = masks$2;
            sign_w = signs$2;
            min = mins$2;
            max = maxs$2;
        end
        wrapped = ((z & mask) ^ sign_w) - sign_w;
        low = ((wrapped) & 33'h1ffffffff);
        clipped = low;
        if (wrapped != z) begin
            clipped = max;
            if (|(z & sign_n)) begin
                clipped = min;
            end
        end
        result = low;
        if ((ovf == wrap_lava) & (low == min)) begin
            result = one + ~min;
        end
        if (ovf == sat) begin
            result = clipped;
        end
        if (ovf == sat_sym) begin
            result = clipped;
            if (clipped == min) begin
                result = min + one;
            end
        end
        if (ce) begin
            out$d = result;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__membrane__fit_v


module neuron_unit_1x64_base__lanes__0__membrane__fit_v__out(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__fit_v__out


module neuron_unit_1x64_base__lanes__0__membrane__params(regs,w_v,w_u,v_ovf,u_ovf,in_gain,in_frac,in_round,in_bias,use_u,dec_frac,beta_u,beta_v,dec_round,bias,fire,cmp,vth,vth_lo,d,q_shift,q_round,g_shift,g_abs,reset,v_reset,adapt,th0,th_step,beta_th,beta_r,gated,g_frac,g_form,g_round,has_current,has_adapt);
    
    // Module arguments
    input wire  [362:0] regs;
    output reg  [1:0] w_v;
    output reg  [1:0] w_u;
    output reg  [1:0] v_ovf;
    output reg  [1:0] u_ovf;
    output reg  [15:0] in_gain;
    output reg  [4:0] in_frac;
    output reg  [2:0] in_round;
    output reg  [51:0] in_bias;
    output reg  use_u;
    output reg  [4:0] dec_frac;
    output reg  [15:0] beta_u;
    output reg  [15:0] beta_v;
    output reg  [2:0] dec_round;
    output reg  [51:0] bias;
    output reg  [2:0] fire;
    output reg  cmp;
    output reg  [34:0] vth;
    output reg  [34:0] vth_lo;
    output reg  [32:0] d;
    output reg  [4:0] q_shift;
    output reg  [2:0] q_round;
    output reg  [4:0] g_shift;
    output reg  g_abs;
    output reg  [1:0] reset;
    output reg  [32:0] v_reset;
    output reg  adapt;
    output reg  [33:0] th0;
    output reg  [32:0] th_step;
    output reg  [15:0] beta_th;
    output reg  [15:0] beta_r;
    output reg  gated;
    output reg  [4:0] g_frac;
    output reg  [1:0] g_form;
    output reg  [2:0] g_round;
    output reg  has_current;
    output reg  has_adapt;
    
    // Update code (custom)
    wire unused_absent_fields = &{1'b0, regs[64], regs[257], regs[359:358]};
    always @(*) begin
        w_v = regs[1:0];
        w_u = regs[3:2];
        v_ovf = regs[5:4];
        u_ovf = regs[7:6];
        in_gain = regs[23:8];
        in_frac = regs[28:24];
        in_round = regs[31:29];
        in_bias = {{20{regs[63]}}, regs[63:32]};
        use_u = 1'd0;
        dec_frac = {1'd0, regs[68:65]};
        beta_u = regs[84:69];
        beta_v = regs[100:85];
        dec_round = regs[103:101];
        bias = {{20{regs[135]}}, regs[135:104]};
        fire = regs[138:136];
        cmp = regs[139];
        vth = {{3{regs[171]}}, regs[171:140]};
        vth_lo = {{3{regs[203]}}, regs[203:172]};
        d = {29'd0, regs[207:204]};
        q_shift = regs[212:208];
        q_round = regs[215:213];
        g_shift = regs[220:216];
        g_abs = regs[221];
        reset = regs[223:222];
        v_reset = regs[256:224];
        adapt = 1'd0;
        th0 = {3'd0, regs[288:258]};
        th_step = {2'd0, regs[319:289]};
        beta_th = regs[335:320];
        beta_r = regs[351:336];
        gated = regs[352];
        g_frac = regs[357:353];
        g_form = 2'd0;
        g_round = regs[362:360];
        has_current = 1'b0;
        has_adapt = 1'b0;
    end
endmodule // neuron_unit_1x64_base__lanes__0__membrane__params


module neuron_unit_1x64_base__lanes__0__membrane__v_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] d;
    output reg  [32:0] q;
    
    // Update code (custom)
    reg [32:0] line0;
    initial line0 = 33'd0;
    reg [32:0] line1;
    initial line1 = 33'd0;
    reg [32:0] line2;
    initial line2 = 33'd0;
    reg [32:0] line3;
    initial line3 = 33'd0;
    reg [32:0] line4;
    initial line4 = 33'd0;
    reg [32:0] line5;
    initial line5 = 33'd0;
    reg [32:0] line6;
    initial line6 = 33'd0;
    always @(posedge clock) begin
        if (ce) begin
            line0 <= d;
            line1 <= line0;
            line2 <= line1;
            line3 <= line2;
            line4 <= line3;
            line5 <= line4;
            line6 <= line5;
        end
    end
    always @(*) q = line6;
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_late


module neuron_unit_1x64_base__lanes__0__membrane__v_mul(clock,ce,a,b,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] a;
    input wire  [31:0] b;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [64:0] q;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  mul$clock;
    reg  mul$ce;
    reg  [32:0] mul$a;
    reg  [31:0] mul$b;
    wire  [64:0] mul$p;
    reg  round$clock;
    reg  round$ce;
    reg  [64:0] round$z;
    reg  [4:0] round$n;
    reg  [2:0] round$mode;
    wire  [64:0] round$q;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__membrane__v_mul__mul mul(
        .clock(mul$clock),
        .ce(mul$ce),
        .a(mul$a),
        .b(mul$b),
        .p(mul$p)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_mul__round round(
        .clock(round$clock),
        .ce(round$ce),
        .z(round$z),
        .n(round$n),
        .mode(round$mode),
        .q(round$q)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        mul$clock = clock;
        mul$ce = ce;
        mul$a = a;
        mul$b = b;
        round$clock = clock;
        round$ce = ce;
        round$z = mul$p;
        round$n = n;
        round$mode = mode;
        q = round$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_mul


module neuron_unit_1x64_base__lanes__0__membrane__v_mul__mul(clock,ce,a,b,p);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] a;
    input wire  [31:0] b;
    output reg  [64:0] p;
    
    // Update code (custom)
    reg signed [32:0] a_reg;
    reg signed [31:0] b_reg;
    reg signed [64:0] p_reg;
    initial begin
        a_reg = 33'd0;
        b_reg = 32'd0;
        p_reg = 65'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            a_reg <= $signed(a);
            b_reg <= $signed(b);
            p_reg <= $signed({{(65-33){a_reg[32]}}, a_reg}) * $signed({{(65-32){b_reg[31]}}, b_reg});
        end
    end
    always @(*) begin
        p = p_reg;
    end
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_mul__mul


module neuron_unit_1x64_base__lanes__0__membrane__v_mul__round(clock,ce,z,n,mode,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [64:0] z;
    input wire  [4:0] n;
    input wire  [2:0] mode;
    output reg  [64:0] q;
    
    // Constant declarations
    localparam  one = 65'h1;
    localparam  sign = 65'h10000000000000000;
    localparam  rtz = 3'b1;
    localparam  rhu = 3'b10;
    localparam  rhaz = 3'b11;
    localparam  rne = 3'b100;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [64:0] floor$d;
    wire  [64:0] floor$q;
    reg  floor$clock;
    reg  inc$d;
    wire  inc$q;
    reg  inc$clock;
    reg  [64:0] out$d;
    wire  [64:0] out$q;
    reg  out$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  [64:0] bit_n;
    reg  [64:0] half;
    reg  guard;
    reg  sticky;
    reg  odd;
    reg  neg;
    reg  up;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__floor floor(
        .d(floor$d),
        .q(floor$q),
        .clock(floor$clock)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__inc inc(
        .d(inc$d),
        .q(inc$q),
        .clock(inc$clock)
    );
    neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__out out(
        .d(out$d),
        .q(out$q),
        .clock(out$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        floor$clock = clock;
        inc$clock = clock;
        out$clock = clock;
        floor$d = floor$q;
        inc$d = inc$q;
        out$d = out$q;
        q = out$q;
        bit_n = one << n;
        half = bit_n >> 32'h1;
        guard = |(z & half);
        sticky = |(z & (half - one) & (bit_n - one));
        odd = |(z & bit_n);
        neg = |(z & sign);
        up = 1'b0;
        if (mode == rtz) begin
            up = neg & (guard | sticky);
        end
        if (mode == rhu) begin
            up = guard;
        end
        if (mode == rhaz) begin
            up = guard & (sticky | ~neg);
        end
        if (mode == rne) begin
            up = guard & (sticky | odd);
        end
        if (ce) begin
            floor$d = ((z ^ sign) >> n) - (sign >> n);
            inc$d = up;
            out$d = floor$q + inc$q;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_mul__round


module neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__floor(d,q,clock);
    
    // Module arguments
    input wire  [64:0] d;
    output reg  [64:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 65'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__floor


module neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__inc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__inc


module neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__out(d,q,clock);
    
    // Module arguments
    input wire  [64:0] d;
    output reg  [64:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 65'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_mul__round__out


module neuron_unit_1x64_base__lanes__0__membrane__v_next_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] d;
    output reg  [32:0] q;
    
    // Update code (custom)
    (* ram_style = "block", no_rw_check *) reg [32:0] mem [0:3];
    reg [1:0] wp;
    reg [1:0] rp;
    reg [32:0] rd;
    integer i;
    initial begin
        wp = 2'd0;
        rp = 2'd1;
        for (i = 0; i < 4; i = i + 1) mem[i] = 33'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            mem[wp] <= d;
            rd <= mem[rp];
            wp <= (wp == 2'd3) ? 2'd0 : wp + 2'd1;
            rp <= (rp == 2'd3) ? 2'd0 : rp + 2'd1;
        end
    end
    always @(*) q = rd;
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_next_late


module neuron_unit_1x64_base__lanes__0__membrane__v_pre(d,q,clock);
    
    // Module arguments
    input wire  [51:0] d;
    output reg  [51:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 52'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_pre


module neuron_unit_1x64_base__lanes__0__membrane__v_product(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] d;
    output reg  [51:0] q;
    
    // Update code (custom)
    (* ram_style = "block", no_rw_check *) reg [51:0] mem [0:6];
    reg [2:0] wp;
    reg [2:0] rp;
    reg [51:0] rd;
    integer i;
    initial begin
        wp = 3'd0;
        rp = 3'd1;
        for (i = 0; i < 7; i = i + 1) mem[i] = 52'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            mem[wp] <= d;
            rd <= mem[rp];
            wp <= (wp == 3'd6) ? 3'd0 : wp + 3'd1;
            rp <= (rp == 3'd6) ? 3'd0 : rp + 3'd1;
        end
    end
    always @(*) q = rd;
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_product


module neuron_unit_1x64_base__lanes__0__membrane__v_product_early(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [51:0] d;
    output reg  [51:0] q;
    
    // Update code (custom)
    (* ram_style = "block", no_rw_check *) reg [51:0] mem [0:2];
    reg [1:0] wp;
    reg [1:0] rp;
    reg [51:0] rd;
    integer i;
    initial begin
        wp = 2'd0;
        rp = 2'd1;
        for (i = 0; i < 3; i = i + 1) mem[i] = 52'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            mem[wp] <= d;
            rd <= mem[rp];
            wp <= (wp == 2'd2) ? 2'd0 : wp + 2'd1;
            rp <= (rp == 2'd2) ? 2'd0 : rp + 2'd1;
        end
    end
    always @(*) q = rd;
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_product_early


module neuron_unit_1x64_base__lanes__0__membrane__v_wide(a,q);
    
    // Module arguments
    input wire  [32:0] a;
    output reg  [51:0] q;
    
    // Constant declarations
    localparam  sign_m = 33'h100000000;
    localparam  sign_n = 52'h100000000;
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        q = ((a ^ sign_m) & 52'hfffffffffffff) - sign_n;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__membrane__v_wide


module neuron_unit_1x64_base__lanes__0__r_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] d;
    output reg  [32:0] q;
    
    // Update code (custom)
    reg [32:0] line0;
    initial line0 = 33'd0;
    reg [32:0] line1;
    initial line1 = 33'd0;
    reg [32:0] line2;
    initial line2 = 33'd0;
    reg [32:0] line3;
    initial line3 = 33'd0;
    reg [32:0] line4;
    initial line4 = 33'd0;
    reg [32:0] line5;
    initial line5 = 33'd0;
    reg [32:0] line6;
    initial line6 = 33'd0;
    reg [32:0] line7;
    initial line7 = 33'd0;
    reg [32:0] line8;
    initial line8 = 33'd0;
    always @(posedge clock) begin
        if (ce) begin
            line0 <= d;
            line1 <= line0;
            line2 <= line1;
            line3 <= line2;
            line4 <= line3;
            line5 <= line4;
            line6 <= line5;
            line7 <= line6;
            line8 <= line7;
        end
    end
    always @(*) q = line8;
endmodule // neuron_unit_1x64_base__lanes__0__r_late


module neuron_unit_1x64_base__lanes__0__reset_stage(clock,ce,regs,out,v,thr,th,r,out_next,v_next,th_next,r_next);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [362:0] regs;
    input wire  [32:0] out;
    input wire  [32:0] v;
    input wire  [34:0] thr;
    input wire  [32:0] th;
    input wire  [32:0] r;
    output reg  [32:0] out_next;
    output reg  [32:0] v_next;
    output reg  [32:0] th_next;
    output reg  [32:0] r_next;
    
    // Constant declarations
    localparam  zero = 33'h0;
    localparam  one = 33'h1;
    localparam  fire_multi = 3'b10;
    localparam  fire_none = 3'b100;
    localparam  reset_hard = 2'b0;
    localparam  reset_soft = 2'b1;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [362:0] params$regs;
    wire  [1:0] params$w_v;
    wire  [1:0] params$w_u;
    wire  [1:0] params$v_ovf;
    wire  [1:0] params$u_ovf;
    wire  [15:0] params$in_gain;
    wire  [4:0] params$in_frac;
    wire  [2:0] params$in_round;
    wire  [51:0] params$in_bias;
    wire  params$use_u;
    wire  [4:0] params$dec_frac;
    wire  [15:0] params$beta_u;
    wire  [15:0] params$beta_v;
    wire  [2:0] params$dec_round;
    wire  [51:0] params$bias;
    wire  [2:0] params$fire;
    wire  params$cmp;
    wire  [34:0] params$vth;
    wire  [34:0] params$vth_lo;
    wire  [32:0] params$d;
    wire  [4:0] params$q_shift;
    wire  [2:0] params$q_round;
    wire  [4:0] params$g_shift;
    wire  params$g_abs;
    wire  [1:0] params$reset;
    wire  [32:0] params$v_reset;
    wire  params$adapt;
    wire  [33:0] params$th0;
    wire  [32:0] params$th_step;
    wire  [15:0] params$beta_th;
    wire  [15:0] params$beta_r;
    wire  params$gated;
    wire  [4:0] params$g_frac;
    wire  [1:0] params$g_form;
    wire  [2:0] params$g_round;
    wire  params$has_current;
    wire  params$has_adapt;
    reg  [32:0] out_reg$d;
    wire  [32:0] out_reg$q;
    reg  out_reg$clock;
    reg  [32:0] v_reg$d;
    wire  [32:0] v_reg$q;
    reg  v_reg$clock;
    reg  [32:0] th_reg$d;
    wire  [32:0] th_reg$q;
    reg  th_reg$clock;
    reg  [32:0] r_reg$d;
    wire  [32:0] r_reg$q;
    reg  r_reg$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Local signals
    reg  fired;
    reg  [32:0] thr_low;
    
    // Sub module instances
    neuron_unit_1x64_base__lanes__0__reset_stage__params params(
        .regs(params$regs),
        .w_v(params$w_v),
        .w_u(params$w_u),
        .v_ovf(params$v_ovf),
        .u_ovf(params$u_ovf),
        .in_gain(params$in_gain),
        .in_frac(params$in_frac),
        .in_round(params$in_round),
        .in_bias(params$in_bias),
        .use_u(params$use_u),
        .dec_frac(params$dec_frac),
        .beta_u(params$beta_u),
        .beta_v(params$beta_v),
        .dec_round(params$dec_round),
        .bias(params$bias),
        .fire(params$fire),
        .cmp(params$cmp),
        .vth(params$vth),
        .vth_lo(params$vth_lo),
        .d(params$d),
        .q_shift(params$q_shift),
        .q_round(params$q_round),
        .g_shift(params$g_shift),
        .g_abs(params$g_abs),
        .reset(params$reset),
        .v_reset(params$v_reset),
        .adapt(params$adapt),
        .th0(params$th0),
        .th_step(params$th_step),
        .beta_th(params$beta_th),
        .beta_r(params$beta_r),
        .gated(params$gated),
        .g_frac(params$g_frac),
        .g_form(params$g_form),
        .g_round(params$g_round),
        .has_current(params$has_current),
        .has_adapt(params$has_adapt)
    );
    neuron_unit_1x64_base__lanes__0__reset_stage__out_reg out_reg(
        .d(out_reg$d),
        .q(out_reg$q),
        .clock(out_reg$clock)
    );
    neuron_unit_1x64_base__lanes__0__reset_stage__v_reg v_reg(
        .d(v_reg$d),
        .q(v_reg$q),
        .clock(v_reg$clock)
    );
    neuron_unit_1x64_base__lanes__0__reset_stage__th_reg th_reg(
        .d(th_reg$d),
        .q(th_reg$q),
        .clock(th_reg$clock)
    );
    neuron_unit_1x64_base__lanes__0__reset_stage__r_reg r_reg(
        .d(r_reg$d),
        .q(r_reg$q),
        .clock(r_reg$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        out_reg$clock = clock;
        v_reg$clock = clock;
        th_reg$clock = clock;
        r_reg$clock = clock;
        out_reg$d = out_reg$q;
        v_reg$d = v_reg$q;
        th_reg$d = th_reg$q;
        r_reg$d = r_reg$q;
        params$regs = regs;
        fired = out != zero;
        thr_low = ((thr) & 33'h1ffffffff);
        if (ce) begin
            out_reg$d = out;
            v_reg$d = v;
            th_reg$d = th;
            r_reg$d = r;
            if (fired & (params$fire != fire_none)) begin
                if (params$reset == reset_hard) begin
                    v_reg$d = params$v_reset;
                end
                if (params$reset == reset_soft) begin
                    v_reg$d = v + thr_low;
                    if (out == one) begin
                        v_reg$d = v - thr_low;
                    end
                    if (params$fire == fire_multi) begin
                        v_reg$d = v - (out << params$q_shift);
                    end
                end
            end
            if (fired & params$adapt) begin
                r_reg$d = r + (th << 32'h1);
                th_reg$d = th + params$th_step;
            end
        end
        out_next = out_reg$q;
        v_next = v_reg$q;
        th_next = th_reg$q;
        r_next = r_reg$q;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__lanes__0__reset_stage


module neuron_unit_1x64_base__lanes__0__reset_stage__out_reg(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__reset_stage__out_reg


module neuron_unit_1x64_base__lanes__0__reset_stage__params(regs,w_v,w_u,v_ovf,u_ovf,in_gain,in_frac,in_round,in_bias,use_u,dec_frac,beta_u,beta_v,dec_round,bias,fire,cmp,vth,vth_lo,d,q_shift,q_round,g_shift,g_abs,reset,v_reset,adapt,th0,th_step,beta_th,beta_r,gated,g_frac,g_form,g_round,has_current,has_adapt);
    
    // Module arguments
    input wire  [362:0] regs;
    output reg  [1:0] w_v;
    output reg  [1:0] w_u;
    output reg  [1:0] v_ovf;
    output reg  [1:0] u_ovf;
    output reg  [15:0] in_gain;
    output reg  [4:0] in_frac;
    output reg  [2:0] in_round;
    output reg  [51:0] in_bias;
    output reg  use_u;
    output reg  [4:0] dec_frac;
    output reg  [15:0] beta_u;
    output reg  [15:0] beta_v;
    output reg  [2:0] dec_round;
    output reg  [51:0] bias;
    output reg  [2:0] fire;
    output reg  cmp;
    output reg  [34:0] vth;
    output reg  [34:0] vth_lo;
    output reg  [32:0] d;
    output reg  [4:0] q_shift;
    output reg  [2:0] q_round;
    output reg  [4:0] g_shift;
    output reg  g_abs;
    output reg  [1:0] reset;
    output reg  [32:0] v_reset;
    output reg  adapt;
    output reg  [33:0] th0;
    output reg  [32:0] th_step;
    output reg  [15:0] beta_th;
    output reg  [15:0] beta_r;
    output reg  gated;
    output reg  [4:0] g_frac;
    output reg  [1:0] g_form;
    output reg  [2:0] g_round;
    output reg  has_current;
    output reg  has_adapt;
    
    // Update code (custom)
    wire unused_absent_fields = &{1'b0, regs[64], regs[257], regs[359:358]};
    always @(*) begin
        w_v = regs[1:0];
        w_u = regs[3:2];
        v_ovf = regs[5:4];
        u_ovf = regs[7:6];
        in_gain = regs[23:8];
        in_frac = regs[28:24];
        in_round = regs[31:29];
        in_bias = {{20{regs[63]}}, regs[63:32]};
        use_u = 1'd0;
        dec_frac = {1'd0, regs[68:65]};
        beta_u = regs[84:69];
        beta_v = regs[100:85];
        dec_round = regs[103:101];
        bias = {{20{regs[135]}}, regs[135:104]};
        fire = regs[138:136];
        cmp = regs[139];
        vth = {{3{regs[171]}}, regs[171:140]};
        vth_lo = {{3{regs[203]}}, regs[203:172]};
        d = {29'd0, regs[207:204]};
        q_shift = regs[212:208];
        q_round = regs[215:213];
        g_shift = regs[220:216];
        g_abs = regs[221];
        reset = regs[223:222];
        v_reset = regs[256:224];
        adapt = 1'd0;
        th0 = {3'd0, regs[288:258]};
        th_step = {2'd0, regs[319:289]};
        beta_th = regs[335:320];
        beta_r = regs[351:336];
        gated = regs[352];
        g_frac = regs[357:353];
        g_form = 2'd0;
        g_round = regs[362:360];
        has_current = 1'b0;
        has_adapt = 1'b0;
    end
endmodule // neuron_unit_1x64_base__lanes__0__reset_stage__params


module neuron_unit_1x64_base__lanes__0__reset_stage__r_reg(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__reset_stage__r_reg


module neuron_unit_1x64_base__lanes__0__reset_stage__th_reg(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__reset_stage__th_reg


module neuron_unit_1x64_base__lanes__0__reset_stage__v_reg(d,q,clock);
    
    // Module arguments
    input wire  [32:0] d;
    output reg  [32:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 33'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__lanes__0__reset_stage__v_reg


module neuron_unit_1x64_base__lanes__0__th_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] d;
    output reg  [32:0] q;
    
    // Update code (custom)
    reg [32:0] line0;
    initial line0 = 33'd0;
    reg [32:0] line1;
    initial line1 = 33'd0;
    reg [32:0] line2;
    initial line2 = 33'd0;
    reg [32:0] line3;
    initial line3 = 33'd0;
    reg [32:0] line4;
    initial line4 = 33'd0;
    reg [32:0] line5;
    initial line5 = 33'd0;
    reg [32:0] line6;
    initial line6 = 33'd0;
    reg [32:0] line7;
    initial line7 = 33'd0;
    reg [32:0] line8;
    initial line8 = 33'd0;
    always @(posedge clock) begin
        if (ce) begin
            line0 <= d;
            line1 <= line0;
            line2 <= line1;
            line3 <= line2;
            line4 <= line3;
            line5 <= line4;
            line6 <= line5;
            line7 <= line6;
            line8 <= line7;
        end
    end
    always @(*) q = line8;
endmodule // neuron_unit_1x64_base__lanes__0__th_late


module neuron_unit_1x64_base__lanes__0__thr_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [34:0] d;
    output reg  [34:0] q;
    
    // Update code (custom)
    (* ram_style = "block", no_rw_check *) reg [34:0] mem [0:5];
    reg [2:0] wp;
    reg [2:0] rp;
    reg [34:0] rd;
    integer i;
    initial begin
        wp = 3'd0;
        rp = 3'd1;
        for (i = 0; i < 6; i = i + 1) mem[i] = 35'd0;
    end
    always @(posedge clock) begin
        if (ce) begin
            mem[wp] <= d;
            rd <= mem[rp];
            wp <= (wp == 3'd5) ? 3'd0 : wp + 3'd1;
            rp <= (rp == 3'd5) ? 3'd0 : rp + 3'd1;
        end
    end
    always @(*) q = rd;
endmodule // neuron_unit_1x64_base__lanes__0__thr_late


module neuron_unit_1x64_base__lanes__0__u_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  [32:0] d;
    output reg  [32:0] q;
    
    // Update code (custom)
    reg [32:0] line0;
    initial line0 = 33'd0;
    reg [32:0] line1;
    initial line1 = 33'd0;
    reg [32:0] line2;
    initial line2 = 33'd0;
    reg [32:0] line3;
    initial line3 = 33'd0;
    reg [32:0] line4;
    initial line4 = 33'd0;
    reg [32:0] line5;
    initial line5 = 33'd0;
    reg [32:0] line6;
    initial line6 = 33'd0;
    reg [32:0] line7;
    initial line7 = 33'd0;
    reg [32:0] line8;
    initial line8 = 33'd0;
    reg [32:0] line9;
    initial line9 = 33'd0;
    always @(posedge clock) begin
        if (ce) begin
            line0 <= d;
            line1 <= line0;
            line2 <= line1;
            line3 <= line2;
            line4 <= line3;
            line5 <= line4;
            line6 <= line5;
            line7 <= line6;
            line8 <= line7;
            line9 <= line8;
        end
    end
    always @(*) q = line9;
endmodule // neuron_unit_1x64_base__lanes__0__u_late


module neuron_unit_1x64_base__places__0(a,q);
    
    // Module arguments
    input wire  [164:0] a;
    output reg  [164:0] q;
    
    // Constant declarations
    localparam  at = 16'h0;
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        q = ((a) & 165'h1fffffffffffffffffffffffffffffffffffffffff) << at;
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__places__0


module neuron_unit_1x64_base__rams__0(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [5:0] read_address;
    input wire  read_clock;
    output reg  [131:0] read_data;
    input wire  [5:0] write_address;
    input wire  write_clock;
    input wire  [131:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    reg[131:0] mem[63:0];
    
    
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
                
endmodule // neuron_unit_1x64_base__rams__0


module neuron_unit_1x64_base__registers(clock,write,addr,data,regs);
    
    // Module arguments
    input wire  clock;
    input wire  write;
    input wire  [7:0] addr;
    input wire  [31:0] data;
    output reg  [362:0] regs;
    
    // Constant declarations
    localparam  word_mask$0 = 363'hffffffff;
    localparam  word_mask$1 = 363'hffffffff00000000;
    localparam  word_mask$2 = 363'hffffffff0000000000000000;
    localparam  word_mask$3 = 363'hffffffff000000000000000000000000;
    localparam  word_mask$4 = 363'hffffffff00000000000000000000000000000000;
    localparam  word_mask$5 = 363'hffffffff0000000000000000000000000000000000000000;
    localparam  word_mask$6 = 363'hffffffff000000000000000000000000000000000000000000000000;
    localparam  word_mask$7 = 363'hffffffff00000000000000000000000000000000000000000000000000000000;
    localparam  word_mask$8 = 363'hffffffff0000000000000000000000000000000000000000000000000000000000000000;
    localparam  word_mask$9 = 363'hffffffff000000000000000000000000000000000000000000000000000000000000000000000000;
    localparam  word_mask$10 = 363'hffffffff00000000000000000000000000000000000000000000000000000000000000000000000000000000;
    localparam  word_mask$11 = 363'h7ff0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;
    localparam  word_at$0 = 16'h0;
    localparam  word_at$1 = 16'h20;
    localparam  word_at$2 = 16'h40;
    localparam  word_at$3 = 16'h60;
    localparam  word_at$4 = 16'h80;
    localparam  word_at$5 = 16'ha0;
    localparam  word_at$6 = 16'hc0;
    localparam  word_at$7 = 16'he0;
    localparam  word_at$8 = 16'h100;
    localparam  word_at$9 = 16'h120;
    localparam  word_at$10 = 16'h140;
    localparam  word_at$11 = 16'h160;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  [362:0] image$d;
    wire  [362:0] image$q;
    reg  image$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__registers__image image(
        .d(image$d),
        .q(image$q),
        .clock(image$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        image$clock = clock;
        image$d = image$q;
        regs = image$q;
        if (write) begin
            if (addr == 0) begin
                image$d = (image$q & ~word_mask$0) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$0);
            end
            if (addr == 1) begin
                image$d = (image$q & ~word_mask$1) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$1);
            end
            if (addr == 2) begin
                image$d = (image$q & ~word_mask$2) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$2);
            end
            if (addr == 3) begin
                image$d = (image$q & ~word_mask$3) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$3);
            end
            if (addr == 4) begin
                image$d = (image$q & ~word_mask$4) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$4);
            end
            if (addr == 5) begin
                image$d = (image$q & ~word_mask$5) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$5);
            end
            if (addr == 6) begin
                image$d = (image$q & ~word_mask$6) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$6);
            end
            if (addr == 7) begin
                image$d = (image$q & ~word_mask$7) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$7);
            end
            if (addr == 8) begin
                image$d = (image$q & ~word_mask$8) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$8);
            end
            if (addr == 9) begin
                image$d = (image$q & ~word_mask$9) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$9);
            end
            if (addr == 10) begin
                image$d = (image$q & ~word_mask$10) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$10);
            end
            if (addr == 11) begin
                image$d = (image$q & ~word_mask$11) | (((data) & 363'h7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff) << word_at$11);
            end
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__registers


module neuron_unit_1x64_base__registers__image(d,q,clock);
    
    // Module arguments
    input wire  [362:0] d;
    output reg  [362:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 363'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__registers__image


module neuron_unit_1x64_base__s0_data(d,q,clock);
    
    // Module arguments
    input wire  [63:0] d;
    output reg  [63:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 64'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__s0_data


module neuron_unit_1x64_base__s0_index(d,q,clock);
    
    // Module arguments
    input wire  [5:0] d;
    output reg  [5:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 6'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__s0_index


module neuron_unit_1x64_base__s0_keep(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__s0_keep


module neuron_unit_1x64_base__s0_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__s0_valid


module neuron_unit_1x64_base__skid(clock,in_valid,in_ready,in_data,out_valid,out_ready,out_data);
    
    // Module arguments
    input wire  clock;
    input wire  in_valid;
    output reg  in_ready;
    input wire  [171:0] in_data;
    output reg  out_valid;
    input wire  out_ready;
    output reg  [171:0] out_data;
    
    /* verilator lint_off UNUSEDSIGNAL */
    // Stub signals
    reg  out_valid_reg$d;
    wire  out_valid_reg$q;
    reg  out_valid_reg$clock;
    reg  [171:0] out_data_reg$d;
    wire  [171:0] out_data_reg$q;
    reg  out_data_reg$clock;
    reg  skid_valid$d;
    wire  skid_valid$q;
    reg  skid_valid$clock;
    reg  [171:0] skid_data$d;
    wire  [171:0] skid_data$q;
    reg  skid_data$clock;
    
    /* verilator lint_on UNUSEDSIGNAL */
    // Sub module instances
    neuron_unit_1x64_base__skid__out_valid_reg out_valid_reg(
        .d(out_valid_reg$d),
        .q(out_valid_reg$q),
        .clock(out_valid_reg$clock)
    );
    neuron_unit_1x64_base__skid__out_data_reg out_data_reg(
        .d(out_data_reg$d),
        .q(out_data_reg$q),
        .clock(out_data_reg$clock)
    );
    neuron_unit_1x64_base__skid__skid_valid skid_valid(
        .d(skid_valid$d),
        .q(skid_valid$q),
        .clock(skid_valid$clock)
    );
    neuron_unit_1x64_base__skid__skid_data skid_data(
        .d(skid_data$d),
        .q(skid_data$q),
        .clock(skid_data$clock)
    );
    
    /* verilator lint_off WIDTH */
    // Update code
    always @(*) begin
        out_valid_reg$clock = clock;
        out_data_reg$clock = clock;
        skid_valid$clock = clock;
        skid_data$clock = clock;
        out_valid_reg$d = out_valid_reg$q;
        out_data_reg$d = out_data_reg$q;
        skid_valid$d = skid_valid$q;
        skid_data$d = skid_data$q;
        in_ready = ~skid_valid$q;
        out_valid = out_valid_reg$q;
        out_data = out_data_reg$q;
        if (out_ready | ~out_valid_reg$q) begin
            if (skid_valid$q) begin
                out_valid_reg$d = 1'b1;
                out_data_reg$d = skid_data$q;
                skid_valid$d = 1'b0;
            end
            else begin
                out_valid_reg$d = in_valid;
                out_data_reg$d = in_data;
            end
        end
        else if (in_valid & ~skid_valid$q) begin
            skid_valid$d = 1'b1;
            skid_data$d = in_data;
        end
    end
    
/* verilator lint_on WIDTH */
endmodule // neuron_unit_1x64_base__skid


module neuron_unit_1x64_base__skid__out_data_reg(d,q,clock);
    
    // Module arguments
    input wire  [171:0] d;
    output reg  [171:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 172'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__skid__out_data_reg


module neuron_unit_1x64_base__skid__out_valid_reg(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__skid__out_valid_reg


module neuron_unit_1x64_base__skid__skid_data(d,q,clock);
    
    // Module arguments
    input wire  [171:0] d;
    output reg  [171:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 172'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__skid__skid_data


module neuron_unit_1x64_base__skid__skid_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // neuron_unit_1x64_base__skid__skid_valid


module neuron_unit_1x64_base__valid_late(clock,ce,d,q);
    
    // Module arguments
    input wire  clock;
    input wire  ce;
    input wire  d;
    output reg  q;
    
    // Update code (custom)
    reg [0:0] line0;
    initial line0 = 1'd0;
    reg [0:0] line1;
    initial line1 = 1'd0;
    reg [0:0] line2;
    initial line2 = 1'd0;
    reg [0:0] line3;
    initial line3 = 1'd0;
    reg [0:0] line4;
    initial line4 = 1'd0;
    reg [0:0] line5;
    initial line5 = 1'd0;
    reg [0:0] line6;
    initial line6 = 1'd0;
    reg [0:0] line7;
    initial line7 = 1'd0;
    reg [0:0] line8;
    initial line8 = 1'd0;
    reg [0:0] line9;
    initial line9 = 1'd0;
    reg [0:0] line10;
    initial line10 = 1'd0;
    reg [0:0] line11;
    initial line11 = 1'd0;
    reg [0:0] line12;
    initial line12 = 1'd0;
    reg [0:0] line13;
    initial line13 = 1'd0;
    reg [0:0] line14;
    initial line14 = 1'd0;
    reg [0:0] line15;
    initial line15 = 1'd0;
    reg [0:0] line16;
    initial line16 = 1'd0;
    always @(posedge clock) begin
        if (ce) begin
            line0 <= d;
            line1 <= line0;
            line2 <= line1;
            line3 <= line2;
            line4 <= line3;
            line5 <= line4;
            line6 <= line5;
            line7 <= line6;
            line8 <= line7;
            line9 <= line8;
            line10 <= line9;
            line11 <= line10;
            line12 <= line11;
            line13 <= line12;
            line14 <= line13;
            line15 <= line14;
            line16 <= line15;
        end
    end
    always @(*) q = line16;
endmodule // neuron_unit_1x64_base__valid_late
`default_nettype wire
// up5k_kernels: engine_w16_pack2_b1_c256 and neuron_unit_1x64_base behind a four-pin serial wrapper, generated by mmfree-kernels; do not edit.
`default_nettype none
module up5k_kernels(clk, sin, shift, sout);
    input wire clk;
    input wire sin;
    input wire shift;
    output wire sout;
    reg [262:0] scan_in = 263'd0;
    reg [98:0] scan_out = 99'd0;
    wire [98:0] results;
    always @(posedge clk) begin
        if (shift) scan_in <= {scan_in[261:0], sin};
        if (shift) scan_out <= {scan_out[97:0], 1'b0};
        else scan_out <= results;
    end
    assign sout = scan_out[98];
    /* verilator lint_off UNUSED */
    wire [164:0] neuron_out_data;
    /* verilator lint_on UNUSED */
    engine_w16_pack2_b1_c256 engine(
        .clock(clk),
        .start(scan_in[0:0]),
        .cols(scan_in[9:1]),
        .rows(scan_in[18:10]),
        .busy(results[0:0]),
        .done(results[1:1]),
        .w_valid(scan_in[19:19]),
        .w_ready(results[2:2]),
        .w_data(scan_in[35:20]),
        .cb_write(scan_in[36:36]),
        .cb_seq(scan_in[37:37]),
        .cb_addr(scan_in[42:38]),
        .cb_data(scan_in[106:43]),
        .acc_valid(results[3:3]),
        .acc_ready(scan_in[107:107]),
        .acc_data(results[20:4])
    );
    neuron_unit_1x64_base neuron(
        .clock(clk),
        .cfg_valid(scan_in[108:108]),
        .cfg_ready(results[21:21]),
        .cfg_addr(scan_in[116:109]),
        .cfg_data(scan_in[148:117]),
        .st_valid(scan_in[149:149]),
        .st_ready(results[22:22]),
        .st_index(scan_in[155:150]),
        .st_keep(scan_in[156:156]),
        .st_data({66'd0, scan_in[189:157], 33'd0}),
        .in_valid(scan_in[190:190]),
        .in_ready(results[23:23]),
        .in_index(scan_in[196:191]),
        .in_keep(scan_in[197:197]),
        .in_data(scan_in[261:198]),
        .out_valid(results[24:24]),
        .out_ready(scan_in[262:262]),
        .out_index(results[30:25]),
        .out_keep(results[31:31]),
        .out_data(neuron_out_data),
        .idle(results[98:98])
    );
    assign results[97:32] = neuron_out_data[65:0];
endmodule
`default_nettype wire
