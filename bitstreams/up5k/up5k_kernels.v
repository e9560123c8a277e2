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
// up5k_kernels: engine_w16_pack2_b1_c256 behind a four-pin serial wrapper, generated by mmfree-kernels; do not edit.
`default_nettype none
module up5k_kernels(clk, sin, shift, sout);
    input wire clk;
    input wire sin;
    input wire shift;
    output wire sout;
    reg [107:0] scan_in = 108'd0;
    reg [20:0] scan_out = 21'd0;
    wire [20:0] results;
    always @(posedge clk) begin
        if (shift) scan_in <= {scan_in[106:0], sin};
        if (shift) scan_out <= {scan_out[19:0], 1'b0};
        else scan_out <= results;
    end
    assign sout = scan_out[20];
    engine_w16_pack2_b1_c256 kernel(
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
endmodule
`default_nettype wire
